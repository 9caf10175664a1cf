import { representationKey, type RegistryContext } from "@onecert/subgraph-kit";
import type { PropertyLoaders } from "./data";
import type { RealEstate } from "./real-estate";

/** Resolves `RealEstate` representations through the request's loader; a malformed key fails its own entity. */
export async function resolveRealEstateReference(
  reference: { unitNumber?: unknown },
  context: RegistryContext<PropertyLoaders>,
): Promise<RealEstate | null> {
  const unitNumber = representationKey(
    "RealEstate",
    "unitNumber",
    "RealEstateUnitNumber",
    reference.unitNumber,
  );
  return context.loaders.unit.load(unitNumber);
}
