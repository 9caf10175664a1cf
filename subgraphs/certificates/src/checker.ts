import type { Caller, GatewayCall } from "./gateway-client";
import { evaluateItem, type Outcome } from "./evaluate";
import { mergeChecks } from "@onecert/catalogue";
import type { PlannedItem } from "./plan";

/** The verdict on one planned item. */
export interface Verdict extends PlannedItem, Outcome {
  checkedAt: Date;
  /** Until when the verdict (and a proof of it) holds; null for UNDETERMINED. */
  validUntil: Date | null;
}

/**
 * Checks every item with ONE request through the gateway as `caller`: all certificates' reads
 * merged, so each registry is called at most once, then each rule applied to its own view.
 */
export async function runChecks(
  items: readonly PlannedItem[],
  caller: Caller,
  call: GatewayCall,
  now: () => Date = () => new Date(),
): Promise<Verdict[]> {
  if (items.length === 0) return [];
  const merged = mergeChecks(items);
  const reply = await call(merged.query, merged.variables, caller);
  const checkedAt = now();
  return Promise.all(
    items.map(async (item, index) => {
      const outcome = await evaluateItem(item, merged.project(reply.data, index), reply.errors);
      const decided = outcome.status !== "UNDETERMINED";
      const validUntil = decided ? new Date(checkedAt.getTime() + item.certificate.validityMs) : null;
      return { ...item, ...outcome, checkedAt, validUntil };
    }),
  );
}

/** A matter's outcome: NOT_SATISFIED if any verdict is, else UNDETERMINED if any is, else SATISFIED. */
export function overall(verdicts: readonly Pick<Verdict, "status">[]): Outcome["status"] {
  if (verdicts.some((verdict) => verdict.status === "NOT_SATISFIED")) return "NOT_SATISFIED";
  if (verdicts.some((verdict) => verdict.status === "UNDETERMINED")) return "UNDETERMINED";
  return "SATISFIED";
}
