import { representationKey } from "@onecert/subgraph-kit";
import type { Person } from "./person";

/**
 * Resolves `Person` representations without a read: this registry cannot tell whether a person
 * exists, only what it holds for an ID number. Async so that a bad key fails its own entity,
 * not the whole `_entities` batch.
 */
export async function resolvePersonReference(reference: { idNumber?: unknown }): Promise<Person> {
  return { idNumber: representationKey("Person", "idNumber", "IdNumber", reference.idNumber) };
}
