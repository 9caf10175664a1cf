import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { legalEntity } from "./subgraphs/legal-entity/src/index";
import { property } from "./subgraphs/property/src/index";
import { population } from "./subgraphs/population/src/index";
async function main() {
  const services = [];
  for (const def of [population, legalEntity, property]) {
    const { sdl } = await def.buildSchema();
    services.push({ name: def.name, url: `http://x/${def.name}`, typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors) { console.log("ERRORS", result.errors.map((e) => e.message)); return; }
  console.log("hints:", result.hints.map((h) => h.toString()));
  const s = result.schema.toAPISchema().toGraphQLJSSchema();
  const { printSchema } = await import("graphql");
  const out = printSchema(s);
  console.log(out.split("\n").filter((l, i, a) => /^(type Person|type Enterprise|union Party|  realEstate|  enterprisesRepresented)/.test(l) || /^"""A person in/.test(l)).join("\n"));
}
main().catch((e) => { console.error(e); process.exit(1); });
