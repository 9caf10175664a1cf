import { representationKey, type RegistryContext } from "@onecert/subgraph-kit";
import type { LegalEntityLoaders } from "./data";
import type { Enterprise } from "./enterprise";

/** Resolves `Enterprise` representations through the request's loader; a malformed key fails its own entity. */
export async function resolveEnterpriseReference(
  reference: { uscc?: unknown },
  context: RegistryContext<LegalEntityLoaders>,
): Promise<Enterprise | null> {
  return context.loaders.enterprise.load(representationKey("Enterprise", "uscc", "USCC", reference.uscc));
}
