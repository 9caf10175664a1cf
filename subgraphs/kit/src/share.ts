import { Directive } from "type-graphql";

/** How far a field is shared beyond its owning department (DOMAIN: "Sharing rules"). */
export type ShareLevel = "UNCONDITIONAL" | "CONDITIONAL" | "NOT_SHARED";

/** What kind of personal data a field holds; decides masking and what a grant must cover. */
export type Sensitivity = "IDENTIFIER" | "NAME" | "CONTACT" | "ADDRESS" | "FINANCIAL";

/** The spec the @share directive is linked from; composition carries it into the supergraph. */
export const SHARE_SPEC_URL = "https://specs.onecert.example/share/v1.0";

/** SDL every registry subgraph includes so that @share composes (@composeDirective). */
export const SHARE_DIRECTIVE_SDL = `directive @share(level: String!, sensitivity: [String!], owner: String) on OBJECT | FIELD_DEFINITION`;

/**
 * Stamps every @share of a subgraph's SDL with the department that declared it: the owner of
 * the data. A key field that every registry resolves (Person.idNumber) is then owned by the
 * registry that declared its rule, not by every registry that can resolve the key.
 */
export function stampShareOwner(sdl: string, department: string): string {
  return sdl.replace(/@share\(level:/g, `@share(owner: ${JSON.stringify(department)}, level:`);
}

/**
 * Declares the share level (and sensitivity) of a type or field in the department's own schema.
 * A field without one inherits its type's; the gateway treats a type without one as its
 * configured default (NOT_SHARED unless changed), so forgetting fails closed.
 */
export function Share(level: ShareLevel, ...sensitivity: Sensitivity[]) {
  const list = sensitivity.length ? `, sensitivity: [${sensitivity.map((s) => `"${s}"`).join(", ")}]` : "";
  return Directive(`@share(level: "${level}"${list})`);
}

/** The department a subgraph SDL stamps as the owner of its sharing rules; undefined if none. */
export function shareOwnerOf(sdl: string): string | undefined {
  return /@share\(owner:\s*"([^"]+)"/.exec(sdl)?.[1];
}
