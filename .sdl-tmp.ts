import { legalEntity } from "./subgraphs/legal-entity/src/index";
import { property } from "./subgraphs/property/src/index";
import { population } from "./subgraphs/population/src/index";
async function main() {
  for (const def of [legalEntity, property, population]) {
    const { sdl } = await def.buildSchema();
    console.log(`##### ${def.name}\n${sdl}`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
