import { recordIntact, type AuditRecord } from "../record";
import { checkpointProblem, type Checkpoint, type TrustedKeys } from "../signing";
import { classify, type ProblemKind, type Seen } from "./classify";
import type { TreeHeadCheck } from "./tree-heads";

export type { ProblemKind } from "./classify";

export interface VerifyProblem {
  kind: ProblemKind;
  /** The position in the chain where the log stops being the one that was written. */
  seq: number;
  /** The record found there, when there is one. */
  requestId?: string;
  recordId?: string;
  message: string;
}

export interface VerifyInput {
  /** The record before the first one checked: genesis (0), or the last archived record. */
  anchor: { seq: number; hash: string };
  /** Records in the order the source holds them (the database: by sequence; a file: line order). */
  records: AsyncIterable<AuditRecord>;
  /** Checkpoints, any order. */
  checkpoints: readonly Checkpoint[];
  trustedKeys: TrustedKeys;
  /** What the source says the last record is (chain head row, export end line), asked once the records are read. */
  head?: () => { seq: number; hash: string } | null;
  /** Signed tree heads the log must hold (the witness's, the log's own), checked along the chain. */
  treeHeads?: TreeHeadCheck;
}

export interface VerifyReport {
  ok: boolean;
  /** Records that verified before the first problem (all of them when ok). */
  records: number;
  lastSeq: number;
  lastHash: string;
  checkpoints: number;
  /** Records after the last verified checkpoint: chained, but not yet signed. */
  unsigned: number;
  problem?: VerifyProblem;
}

const MEMORY = 4096;

/**
 * Checks a hash chain and its signed checkpoints and names the first place where the log is not
 * the one written: an altered record (its content no longer gives its hash), a deleted one (a
 * gap), an inserted one (a second record at a position, or one the next record skips), records
 * out of order, or a chain rewritten wholesale (a checkpoint no longer matches).
 */
export async function verifyChain(input: VerifyInput): Promise<VerifyReport> {
  const iterator = input.records[Symbol.asyncIterator]();
  const buffer: AuditRecord[] = [];
  let exhausted = false;
  const peek = async (index: number): Promise<AuditRecord | undefined> => {
    while (buffer.length <= index && !exhausted) {
      const step = await iterator.next();
      if (step.done) exhausted = true;
      else buffer.push(step.value);
    }
    return buffer[index];
  };
  const checkpoints = [...input.checkpoints].sort((a, b) => a.seq - b.seq);
  const recent = new Map<string, Seen>();
  const bySeq = new Map<number, Seen>();
  let expected = input.anchor.seq + 1;
  let prev = input.anchor.hash;
  let count = 0;
  let signedSeq = input.anchor.seq;
  let verifiedCheckpoints = 0;
  let nextCheckpoint = checkpoints.findIndex((c) => c.seq >= input.anchor.seq);
  if (nextCheckpoint < 0) nextCheckpoint = checkpoints.length;

  const report = (problem?: VerifyProblem): VerifyReport => ({
    ok: !problem,
    records: count,
    lastSeq: expected - 1,
    lastHash: prev,
    checkpoints: verifiedCheckpoints,
    unsigned: expected - 1 - signedSeq,
    problem,
  });
  const at = (
    kind: ProblemKind,
    seq: number,
    record: { requestId: string; id: string } | undefined,
    message: string,
  ) => report({ kind, seq, requestId: record?.requestId, recordId: record?.id, message });

  const checkCheckpointsAt = (seq: number, hash: string): VerifyReport | null => {
    while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint].seq === seq) {
      const checkpoint = checkpoints[nextCheckpoint];
      const problem = checkpointProblem(checkpoint, input.trustedKeys);
      if (problem) return at("signature", seq, undefined, `checkpoint at record ${seq}: ${problem}`);
      if (checkpoint.hash !== hash) {
        return at(
          "checkpoint",
          signedSeq + 1,
          undefined,
          `record ${seq} does not match the checkpoint signed for it: records ${signedSeq + 1} to ${seq} were rewritten and rehashed`,
        );
      }
      verifiedCheckpoints += 1;
      signedSeq = seq;
      nextCheckpoint += 1;
    }
    return null;
  };

  const early = checkCheckpointsAt(input.anchor.seq, input.anchor.hash);
  if (early) return early;
  const untrusted = input.treeHeads?.signatures();
  if (untrusted) return at(untrusted.kind, untrusted.seq, undefined, untrusted.message);

  for (;;) {
    const record = await peek(0);
    if (!record) break;
    buffer.shift();
    const following = await peek(0);
    const linked = record.prevHash === prev;
    const intact = recordIntact(record);

    const duplicate = following?.seq === record.seq && record.seq === expected;
    if (!duplicate && record.seq === expected && linked && intact) {
      const seen = { seq: record.seq, hash: record.hash, requestId: record.requestId, id: record.id };
      recent.set(record.hash, seen);
      bySeq.set(record.seq, seen);
      if (recent.size > MEMORY) {
        const oldest = recent.keys().next().value!;
        bySeq.delete(recent.get(oldest)!.seq);
        recent.delete(oldest);
      }
      count += 1;
      expected += 1;
      prev = record.hash;
      const problem = checkCheckpointsAt(record.seq, record.hash);
      if (problem) return problem;
      const unlike = input.treeHeads?.record(record.seq, record.hash);
      if (unlike) return at(unlike.kind, unlike.seq, undefined, unlike.message);
      continue;
    }
    const finding = await classify(record, { expected, prev, recent, bySeq, peek });
    return at(finding.kind, finding.seq, finding.record, finding.message);
  }

  const beyond = input.treeHeads?.end(expected - 1);
  if (beyond) return at(beyond.kind, beyond.seq, undefined, beyond.message);
  if (nextCheckpoint < checkpoints.length) {
    const signed = checkpoints[nextCheckpoint];
    return at(
      "deleted",
      expected,
      undefined,
      `checkpoint ${signed.seq} signs records up to ${signed.seq}, but the log ends at ${expected - 1}: the last records were deleted`,
    );
  }
  const head = input.head?.() ?? null;
  if (head && head.seq > expected - 1) {
    return at(
      "deleted",
      expected,
      undefined,
      `the chain head is record ${head.seq}, but the log ends at ${expected - 1}: the last records were deleted`,
    );
  }
  if (head && (head.seq < expected - 1 || head.hash !== prev)) {
    return at(
      "head",
      head.seq < expected - 1 ? head.seq + 1 : head.seq,
      undefined,
      `the chain head (record ${head.seq}) does not match the last record (${expected - 1}): records were appended or the head changed outside the gateway`,
    );
  }
  return report();
}
