import { isObjectType, type GraphQLSchema } from "graphql";
import { ROLES, type AuthenticatedClient, type Role } from "./types";

const DATA_ROLES: readonly Role[] = ["window", "department"];

/** Who may act under a matter: the departments (and, when given, the roles) of its clients. */
export interface Admission {
  /** Departments whose clients may use the matter, the matter's own always among them; ["*"]: any. */
  departments: readonly string[];
  /** Roles that may use it. Default every data role (window, department). */
  roles: readonly Role[];
}

/** A matter (事项) a window serves, and the data it may read: nothing beyond `fields`. */
export interface Matter {
  code: string;
  name: { zh: string; en: string };
  /** Department that runs the matter. */
  department: string;
  /**
   * "Type.field", or "Type.*" for the fields of Type that the matter's own department owns:
   * another department's fields are named one by one, so that a new subgraph never widens it.
   */
  fields: readonly string[];
  /** Who may act under it (`admits:` in the file); a restricted matter admits no one it does not name. */
  admits: Admission;
  /** Its accesses stay out of the subjects' own access history (an investigation must not show). */
  restricted: boolean;
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
  /**
   * Whether a matter lets a request read `Type.field`: named, or covered by `Type.*` when one of
   * `owners` (the departments owning the field; unknown when omitted) is the matter's own.
   */
  allows(matter: Matter, typeName: string, fieldName: string, owners?: ReadonlySet<string>): boolean;
  /** Why `client` may not act under `matter`; null when it may. */
  refusal(matter: Matter, client: Pick<AuthenticatedClient, "department" | "role">): string | null;
}

/** The keys of a matter file this package reads; the rest is kept as `extra` for the catalogue. */
export interface MatterFields {
  code: string;
  name: { zh: string; en: string };
  department: string;
  fields: readonly string[];
  pendingFields?: readonly string[];
  admits?: { departments?: readonly string[]; roles?: readonly string[] } | null;
  restricted?: boolean;
  [key: string]: unknown;
}

/**
 * The matter of a file whose shape is already checked (by the catalogue's matter schema, see
 * @onecert/catalogue readMatterSources), with the admission rules applied; throws naming `path` when they are broken.
 */
export function matterFrom(path: string, file: MatterFields): Matter {
  const { code, name, department, fields, pendingFields = [], admits, restricted = false, ...extra } = file;
  const problem = (message: string) => new Error(`${path}: ${message}`);
  return {
    code,
    name: { zh: name.zh, en: name.en },
    department,
    fields: [...fields],
    pendingFields: [...pendingFields],
    admits: admission(admits, department, restricted, problem),
    restricted,
    file: path,
    extra: { ...extra, restricted },
  };
}

/** The catalogue of `list`, with the rules of a matter file: minimum necessary and admission. */
export function createMatterCatalogue(list: readonly Matter[]): MatterCatalogue {
  const matters = new Map(list.map((matter) => [matter.code, matter]));
  const sets = new Map(list.map((m) => [m.code, new Set([...m.fields, ...m.pendingFields])]));
  return {
    get: (code) => matters.get(code),
    list: () => [...matters.values()],
    allows(matter, typeName, fieldName, owners) {
      const set = sets.get(matter.code);
      if (!set) return false;
      if (set.has(`${typeName}.${fieldName}`)) return true;
      return set.has(`${typeName}.*`) && (owners === undefined || owners.has(matter.department));
    },
    refusal(matter, client) {
      const { departments, roles } = matter.admits;
      if (!departments.includes("*") && !departments.includes(client.department)) {
        return `matter ${matter.code} admits ${departments.join(", ")}, not ${client.department}`;
      }
      if (!roles.includes(client.role)) {
        return `matter ${matter.code} admits the roles ${roles.join(", ")}, not ${client.role}`;
      }
      return null;
    },
  };
}

/**
 * Reads `admits:`. Absent, a matter admits its own department's clients only (fail closed); the
 * matter's department is always admitted. A restricted matter must name its departments, and
 * cannot admit any department ("*").
 */
function admission(raw: unknown, own: string, restricted: boolean, problem: (m: string) => Error): Admission {
  if (raw === undefined || raw === null) return { departments: [own], roles: DATA_ROLES };
  const { departments = [], roles = DATA_ROLES, ...unknown } = raw as Record<string, unknown>;
  if (Object.keys(unknown).length > 0)
    throw problem(`admits: unknown key ${Object.keys(unknown).join(", ")}`);
  const names = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === "string");
  if (!names(departments)) throw problem("admits.departments must be a list of departments");
  if (!names(roles) || !roles.every((role) => (ROLES as readonly string[]).includes(role)))
    throw problem(`admits.roles must be a list of ${ROLES.join(", ")}`);
  const listed = departments;
  if (restricted && listed.includes("*"))
    throw problem("a restricted matter cannot admit any department (*)");
  return { departments: [...new Set([own, ...listed])], roles: roles as Role[] };
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
