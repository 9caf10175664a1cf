import { badUserInput, validateUscc } from "@onecert/subgraph-kit";
import type { Enterprise } from "./enterprise";

/**
 * Resolves `Enterprise` representations without a read (the legal-entity registry owns them);
 * the key is checked because representations bypass scalar parsing. Async so that a bad key
 * fails its own entity, not the whole `_entities` batch.
 */
export async function resolveEnterpriseReference(reference: { uscc?: unknown }): Promise<Enterprise> {
  const { uscc } = reference;
  if (typeof uscc !== "string") throw badUserInput("Enterprise representation: uscc must be a string", "representations");
  const result = validateUscc(uscc);
  if (!result.ok) throw badUserInput(`Enterprise representation: ${result.reason}`, "representations");
  return { uscc };
}
