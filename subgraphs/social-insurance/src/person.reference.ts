import { badUserInput, validateIdNumber } from "@onecert/subgraph-kit";
import type { Person } from "./person";

/**
 * Resolves `Person` representations without a read: this registry cannot tell whether a person
 * exists, only what it holds for an ID number. Representations bypass scalar parsing, so the key
 * is checked here before it reaches SQL. Async so that a bad key fails its own entity, not the
 * whole `_entities` batch.
 */
export async function resolvePersonReference(reference: { idNumber?: unknown }): Promise<Person> {
  const { idNumber } = reference;
  if (typeof idNumber !== "string") throw badUserInput("Person representation: idNumber must be a string", "representations");
  const result = validateIdNumber(idNumber);
  if (!result.ok) throw badUserInput(`Person representation: ${result.reason}`, "representations");
  return { idNumber };
}
