import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CatalogueError, loadCatalogue, supergraphView } from "@onecert/catalogue";
import { SCHEMA_DIR, SUPERGRAPH_PATH, type Env } from "@onecert/subgraph-kit";
import { UsageError } from "./usage-error";

const USAGE = "catalogue export --out DIR | import DIR [--check]";
const YAML = /\.ya?ml$/;

/**
 * Where the catalogue lives: MATTERS_DIR and CERTIFICATES_DIR, checked against SUPERGRAPH_PATH,
 * with the defaults both the gateway (gateway/server/src/config.ts) and the certificates service
 * (subgraphs/certificates/src/config.ts) use.
 */
export function catalogueDirs(env: Env = process.env) {
  return {
    mattersDir: env.MATTERS_DIR || resolve(SCHEMA_DIR, "matters"),
    certificatesDir: env.CERTIFICATES_DIR || resolve(SCHEMA_DIR, "certificates"),
    supergraphPath: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH,
  };
}

/** Loads a catalogue as the certificates service does at start; the problems, one a line, when it does not. */
function load(dirs: { mattersDir: string; certificatesDir: string }, supergraphPath: string) {
  for (const dir of [dirs.mattersDir, dirs.certificatesDir])
    if (!existsSync(dir)) return { catalogue: null, problems: [`${dir}: no such directory`] };
  try {
    const supergraph = supergraphView(readFileSync(supergraphPath, "utf8"));
    return { catalogue: loadCatalogue({ ...dirs, supergraph }), problems: [] };
  } catch (error) {
    if (error instanceof CatalogueError) return { catalogue: null, problems: error.problems };
    throw error;
  }
}

const report = (problems: readonly string[]) => process.stderr.write(problems.map((p) => `${p}\n`).join(""));

/**
 * `onecert catalogue export --out DIR`: the loaded matters and certificate types written as
 * DIR/matters/<code>.yaml and DIR/certificates/<id>.yaml. Each is the text its file was read from
 * (comments, key order and quoting are the authors'), so exporting the shipped catalogue gives
 * schema/ back byte for byte.
 *
 * `onecert catalogue import DIR [--check]`: DIR/matters and DIR/certificates checked with the
 * schemas and the start-up checks against the supergraph; then (without --check) they replace
 * the configured catalogue directories' YAML files. Exit 0 ok, 1 problems (one a line), 2 usage.
 */
export async function catalogueCommand(args: string[], env: Env = process.env): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: "string" }, check: { type: "boolean" } },
  });
  const config = catalogueDirs(env);
  switch (sub) {
    case "export": {
      if (!values.out || positionals.length > 0 || values.check)
        throw new UsageError(`expected ${USAGE.split(" | ")[0]}`);
      const { catalogue, problems } = load(config, config.supergraphPath);
      if (!catalogue) return (report(problems), 1);
      const files = new Map<string, string>();
      for (const [code, matter] of catalogue.matters)
        files.set(join(values.out, "matters", `${code}.yaml`), sourceOf(matter));
      for (const [id, type] of catalogue.certificates)
        files.set(join(values.out, "certificates", `${id}.yaml`), sourceOf(type));
      for (const dir of ["matters", "certificates"]) mkdirSync(join(values.out, dir), { recursive: true });
      for (const [path, text] of files) writeFileSync(path, text);
      process.stdout.write(
        `Wrote ${catalogue.matters.size} matters and ${catalogue.certificates.size} certificate types to ${values.out}.\n`,
      );
      return 0;
    }
    case "import": {
      if (positionals.length !== 1 || values.out !== undefined)
        throw new UsageError(`expected ${USAGE.split(" | ")[1]}`);
      const [dir] = positionals;
      const from = { mattersDir: join(dir, "matters"), certificatesDir: join(dir, "certificates") };
      const { catalogue, problems } = load(from, config.supergraphPath);
      if (!catalogue) return (report(problems), 1);
      const counts = `${catalogue.matters.size} matters and ${catalogue.certificates.size} certificate types`;
      if (values.check) {
        process.stdout.write(`${dir}: ${counts} fit the supergraph.\n`);
        return 0;
      }
      for (const [source, target] of [
        [from.mattersDir, config.mattersDir],
        [from.certificatesDir, config.certificatesDir],
      ] as const) {
        if (resolve(source) === resolve(target)) continue;
        const wanted = readdirSync(source).filter((file) => YAML.test(file));
        mkdirSync(target, { recursive: true });
        // The directory becomes what was checked: a file the import does not have would join it unchecked.
        for (const file of readdirSync(target).filter((name) => YAML.test(name) && !wanted.includes(name)))
          rmSync(join(target, file));
        for (const file of wanted) copyFileSync(join(source, file), join(target, file));
      }
      process.stdout.write(
        `Imported ${counts} into ${config.mattersDir} and ${config.certificatesDir}; restart the services to use them.\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`expected ${USAGE}`);
  }
}

/** The text an entry was read from; a catalogue built in memory has none to give back. */
function sourceOf(entry: { file: string; source?: string }): string {
  if (entry.source === undefined) throw new Error(`${entry.file}: no source text to export`);
  return entry.source;
}
