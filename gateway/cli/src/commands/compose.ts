import { parseArgs } from "node:util";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SCHEMA_DIR, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { REGISTRIES, SERVICE_SUBGRAPHS, defaultUrl } from "../dev/registries";
import { composeRegistries } from "@onecert/schema-registry";

/**
 * `onecert compose`: exports each registry's SDL to schema/<name>.graphql and composes
 * schema/supergraph.graphql; `--check` regenerates in memory and fails when a file is stale.
 */
export async function compose(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { check: { type: "boolean" } } });
  const { subgraphs, supergraphSdl } = await composeRegistries(
    [...REGISTRIES, ...SERVICE_SUBGRAPHS],
    defaultUrl,
  );
  const files = new Map<string, string>(
    subgraphs.map((s) => [resolve(SCHEMA_DIR, `${s.name}.graphql`), s.sdl + "\n"]),
  );
  files.set(SUPERGRAPH_PATH, supergraphSdl + "\n");
  if (values.check) {
    const stale: string[] = [];
    for (const [path, content] of files) {
      const current = await readFile(path, "utf8").catch(() => null);
      if (current !== content) stale.push(path);
    }
    if (stale.length > 0) {
      process.stderr.write(
        `Stale generated schema files (run \`npm run compose\`):\n${stale.map((p) => `  ${p}`).join("\n")}\n`,
      );
      return 1;
    }
    process.stdout.write(`schema/ is up to date (${files.size} files).\n`);
    return 0;
  }
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const [path, content] of files) await writeFile(path, content);
  process.stdout.write(`Wrote ${files.size} files to schema/.\n`);
  return 0;
}
