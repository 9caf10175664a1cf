import type { RegistryContext } from "@onecert/subgraph-kit";
import type { LegalEntityLoaders } from "./data";
import type { Enterprise } from "./enterprise";

/** Resolves `Enterprise` representations from other registries through the request's loader. */
export function resolveEnterpriseReference(
  reference: Pick<Enterprise, "uscc">,
  context: RegistryContext<LegalEntityLoaders>,
): Promise<Enterprise | null> {
  return context.loaders.enterprise.load(reference.uscc);
}
