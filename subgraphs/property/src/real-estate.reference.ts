import type { RegistryContext } from "@onecert/subgraph-kit";
import type { PropertyLoaders } from "./data";
import type { RealEstate } from "./real-estate";

/** Resolves `RealEstate` representations from other registries through the request's loader. */
export function resolveRealEstateReference(
  reference: Pick<RealEstate, "unitNumber">,
  context: RegistryContext<PropertyLoaders>,
): Promise<RealEstate | null> {
  return context.loaders.unit.load(reference.unitNumber);
}
