import { representationKey, type RegistryContext } from "@onecert/subgraph-kit";
import type { PopulationLoaders } from "./data";
import type { Person } from "./person";

/**
 * Resolves `Person` representations from other registries through the request's loader. Async
 * so that a malformed key fails its own entity, not the whole `_entities` batch.
 */
export async function resolvePersonReference(
  reference: { idNumber?: unknown },
  context: RegistryContext<PopulationLoaders>,
): Promise<Person | null> {
  return context.loaders.person.load(representationKey("Person", "idNumber", "IdNumber", reference.idNumber));
}
