import { representationKey } from "@onecert/subgraph-kit";
import type { Enterprise } from "./enterprise";

/**
 * Resolves `Enterprise` representations without a read (the legal-entity registry owns them).
 * Async so that a bad key fails its own entity, not the whole `_entities` batch.
 */
export async function resolveEnterpriseReference(reference: { uscc?: unknown }): Promise<Enterprise> {
  return { uscc: representationKey("Enterprise", "uscc", "USCC", reference.uscc) };
}
