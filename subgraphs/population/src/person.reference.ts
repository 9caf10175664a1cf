import type { RegistryContext } from "@onecert/subgraph-kit";
import type { PopulationLoaders } from "./data";
import type { Person } from "./person";

/** Resolves `Person` representations from other registries through the request's loader. */
export function resolvePersonReference(
  reference: Pick<Person, "idNumber">,
  context: RegistryContext<PopulationLoaders>,
): Promise<Person | null> {
  return context.loaders.person.load(reference.idNumber);
}
