import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isObjectType, type GraphQLSchema } from "graphql";
import { parse as parseYaml } from "yaml";

/** A matter (事项) a window serves, and the data it may read: nothing beyond `fields`. */
export interface Matter {
  code: string;
  name: { zh: string; en: string };
  /** Department that runs the matter. */
  department: string;
  /** "Type.field" or "Type.*". */
  fields: readonly string[];
  /**
   * Entries like `fields` that a department's subgraph not yet registered will bring: allowed
   * once they exist, and not a start failure before (a typo in `fields` still is).
   */
  pendingFields: readonly string[];
  /** Where it was read from, for error messages. */
  file: string;
  /** Everything else in the file (certificates, subjects ...), for the catalogue. */
  extra: Record<string, unknown>;
}

export interface MatterCatalogue {
  get(code: string): Matter | undefined;
  list(): Matter[];
  /** Whether a matter lets a request read `Type.field`. */
  allows(matter: Matter, typeName: string, fieldName: string): boolean;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Loads schema/matters/*.yaml; every problem names the file. */
export function loadMatters(dir: string): MatterCatalogue {
  const matters = new Map<string, Matter>();
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"));
  for (const file of files.sort()) {
    const path = join(dir, file);
    const raw = parseYaml(readFileSync(path, "utf8")) as Record<string, unknown> | null;
    const { code, name, department, fields, pendingFields = [], ...extra } = raw ?? {};
    const problem = (message: string) => new Error(`${path}: ${message}`);
    if (typeof code !== "string" || !CODE.test(code))
      throw problem("code must be lower-case letters, digits and -");
    if (matters.has(code)) throw problem(`matter ${code} is defined twice`);
    const names = name as { zh?: unknown; en?: unknown } | undefined;
    if (typeof names?.zh !== "string" || typeof names.en !== "string") throw problem("name needs zh and en");
    if (typeof department !== "string") throw problem("department is required");
    const entries = (list: unknown) =>
      Array.isArray(list) && list.every((f) => typeof f === "string" && /^\w+\.(\w+|\*)$/.test(f));
    if (!entries(fields)) throw problem('fields must be a list of "Type.field" or "Type.*"');
    if (!entries(pendingFields)) throw problem('pendingFields must be a list of "Type.field" or "Type.*"');
    matters.set(code, {
      code,
      name: { zh: names.zh, en: names.en },
      department,
      fields: fields as string[],
      pendingFields: pendingFields as string[],
      file: path,
      extra,
    });
  }
  const sets = new Map(
    [...matters.values()].map((m) => [m.code, new Set([...m.fields, ...m.pendingFields])]),
  );
  return {
    get: (code) => matters.get(code),
    list: () => [...matters.values()],
    allows(matter, typeName, fieldName) {
      const set = sets.get(matter.code);
      return !!set && (set.has(`${typeName}.${fieldName}`) || set.has(`${typeName}.*`));
    },
  };
}

/** Names every matter field the schema does not have, so a typo fails at start, not at check time. */
export function unknownMatterFields(catalogue: MatterCatalogue, schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const matter of catalogue.list()) {
    for (const entry of matter.fields) {
      const [typeName, fieldName] = entry.split(".") as [string, string];
      const type = schema.getType(typeName);
      const known = isObjectType(type) && (fieldName === "*" || fieldName in type.getFields());
      if (!known) problems.push(`${matter.file}: ${entry} is not in the supergraph`);
    }
  }
  return problems;
}
