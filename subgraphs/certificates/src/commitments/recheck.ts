import type { Logger } from "@onecert/subgraph-kit";
import type { Scheduler } from "@onecert/subgraph-kit/scheduler";
import { randomUUID } from "node:crypto";
import type { CertificateCatalogue } from "@onecert/catalogue";
import type { Verdict } from "../checker";
import type { Caller } from "../gateway-client";
import type { PlannedItem } from "../plan";
import type { CommitmentRecord, CommitmentStore } from "./store";

export interface RecheckFilter {
  /** Only this matter's commitments; null: every matter (the periodic job). */
  matter: string | null;
  caseNumber?: string | null;
  /** Only those this department recorded; null: every department's (the periodic job). */
  department: string | null;
}

export interface RecheckDeps {
  catalogue: CertificateCatalogue;
  commitments: CommitmentStore;
  check(items: readonly PlannedItem[], caller: Caller): Promise<Verdict[]>;
}

/**
 * Checks pending commitments again, one request per matter, case and subject (its matter and
 * case stated as the purpose), and records what the data says now. Returns every commitment
 * checked, resolved or still pending. A group whose request fails is reported to `onError`,
 * or thrown when there is none.
 */
export async function recheckPending(
  deps: RecheckDeps,
  caller: Caller,
  filter: RecheckFilter,
  onError?: (error: unknown, group: string) => void,
): Promise<CommitmentRecord[]> {
  const pending = await deps.commitments.pending({
    matter: filter.matter ?? undefined,
    caseNumber: filter.caseNumber,
    department: filter.department ?? undefined,
  });
  const groups = new Map<string, CommitmentRecord[]>();
  for (const record of pending) {
    const key = JSON.stringify([record.matter, record.caseNumber, record.subjectKind, record.subjectKey]);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const results: CommitmentRecord[] = [];
  for (const [key, records] of groups) {
    const checkable = records.filter((record) => deps.catalogue.certificates.has(record.certificate));
    const items: PlannedItem[] = checkable.map((record) => ({
      certificate: deps.catalogue.certificates.get(record.certificate)!,
      role: record.role,
      subjectKind: record.subjectKind,
      subjectKey: record.subjectKey,
      parameters: record.parameters,
      commitmentAllowed: true,
    }));
    const [first] = checkable;
    if (!first) continue;
    let verdicts: Verdict[];
    try {
      verdicts = await deps.check(items, {
        ...caller,
        matterCode: first.matter,
        caseNumber: first.caseNumber,
      });
    } catch (error) {
      if (!onError) throw error;
      onError(error, key);
      continue;
    }
    for (const [index, record] of checkable.entries()) {
      const verdict = verdicts[index];
      results.push(
        (await deps.commitments.noteCheck(record.id, verdict.status, verdict.reason, verdict.reasonCode)) ??
          record,
      );
    }
  }
  return results;
}

export interface RecheckJobOptions {
  deps: RecheckDeps;
  /** Runs the job as "commitment-recheck": once per period across the service's replicas. */
  scheduler: Scheduler;
  /** The job's period. Env RECHECK_INTERVAL_SECONDS, default 300. */
  intervalMs: number;
  /** The API key the job checks with (a window client granted the matters' data); unset: the job waits. */
  apiKey(): string | undefined;
  log: Logger;
}

/**
 * Re-checks every pending commitment periodically with the job's own credential: one replica per
 * period, so a commitment is not checked (and its registries asked) once per replica.
 */
export function defineRecheckJob(options: RecheckJobOptions): {
  /** One re-check now on this replica, outside the schedule (shares a run already in progress here). */
  runOnce(): Promise<CommitmentRecord[]>;
} {
  let running: Promise<CommitmentRecord[]> | null = null;
  let warned = false;
  const runOnce = async (): Promise<CommitmentRecord[]> => {
    const key = options.apiKey();
    if (!key) {
      if (!warned) options.log.warn("periodic commitment re-check waits for RECHECK_API_KEY");
      warned = true;
      return [];
    }
    running ??= recheckPending(
      options.deps,
      {
        assertion: null,
        apiKey: key,
        client: null,
        operatorId: "recheck-job",
        matterCode: null,
        caseNumber: null,
        requestId: `recheck-${randomUUID()}`,
      },
      { matter: null, department: null },
      (error, group) => options.log.warn({ err: error, group }, "commitment re-check failed; kept pending"),
    ).finally(() => {
      running = null;
    });
    return running;
  };
  options.scheduler.define({ name: "commitment-recheck", periodMs: options.intervalMs, run: runOnce });
  return { runOnce };
}
