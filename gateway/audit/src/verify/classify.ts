import { recordIntact, type AuditRecord } from "../record";

/** How the log was found to differ from what was written. */
export type ProblemKind =
  | "altered"
  | "deleted"
  | "inserted"
  | "reordered"
  | "broken"
  | "checkpoint"
  | "signature"
  | "head"
  /** The log does not have the root of a signed tree head (the witness's, or its own). */
  | "witness";

/** What the verifier remembers of the records it accepted, by hash and by sequence. */
export interface Seen {
  seq: number;
  hash: string;
  requestId: string;
  id: string;
}

/** Where the verifier stands when a record does not fit. */
export interface Position {
  /** The sequence the next record should have, and the hash it should link to. */
  expected: number;
  prev: string;
  recent: ReadonlyMap<string, Seen>;
  bySeq: ReadonlyMap<number, Seen>;
  /** The records after the current one, without consuming them. */
  peek: (index: number) => Promise<AuditRecord | undefined>;
}

export interface Finding {
  kind: ProblemKind;
  seq: number;
  record?: { requestId: string; id: string };
  message: string;
}

const LOOKAHEAD = 16;

/**
 * Why `record`, at the position where record `expected` belongs, is not it: a second record at
 * one position (inserted), content that no longer gives its hash (altered), a record that links to
 * the one after it or comes early (reordered), a link to an earlier record or one the next record
 * skips (inserted), a gap (deleted), or, failing all those, a broken link.
 */
export async function classify(record: AuditRecord, position: Position): Promise<Finding> {
  const { expected, prev, recent, bySeq, peek } = position;
  const following = await peek(0);
  const linked = record.prevHash === prev;
  const finding = (kind: ProblemKind, seq: number, found: Finding["record"], message: string): Finding => ({
    kind,
    seq,
    record: found,
    message,
  });
  if (following && following.seq === record.seq && record.seq === expected) {
    // Two records claim one position: the genuine one links to the previous record, hashes
    // right, and is the one the record after them links to.
    const after = await peek(1);
    const genuine = (candidate: AuditRecord) =>
      candidate.prevHash === prev && recordIntact(candidate) && (!after || after.prevHash === candidate.hash);
    const extra = genuine(record) ? following : record;
    return finding(
      "inserted",
      expected,
      extra,
      `record ${expected} appears twice: request ${extra.requestId} was inserted`,
    );
  }

  if (record.seq === expected) {
    if (linked) {
      return finding(
        "altered",
        expected,
        record,
        `record ${expected} (request ${record.requestId}) was altered: its content does not give its hash`,
      );
    }
    if (following && following.hash === record.prevHash) {
      return finding(
        "reordered",
        expected,
        record,
        `record ${expected} is out of order: it links to the record after it`,
      );
    }
    const earlier = recent.get(record.prevHash);
    if (earlier && earlier.seq < expected - 1) {
      const extra = bySeq.get(earlier.seq + 1);
      return finding(
        "inserted",
        earlier.seq + 1,
        extra,
        `record ${earlier.seq + 1} was inserted: record ${expected} links to record ${earlier.seq}`,
      );
    }
    if (following && following.prevHash === prev) {
      return finding(
        "inserted",
        expected,
        record,
        `record ${expected} (request ${record.requestId}) was inserted: the record after it skips it`,
      );
    }
    return finding(
      "broken",
      expected,
      record,
      `record ${expected} does not link to record ${expected - 1}: one of them was rewritten`,
    );
  }
  if (record.seq > expected) {
    for (let index = 0; index < LOOKAHEAD; index += 1) {
      const later = await peek(index);
      if (!later) break;
      if (later.seq === expected) {
        return finding(
          "reordered",
          expected,
          later,
          `record ${expected} is out of order: it comes after record ${record.seq}`,
        );
      }
    }
    const missing =
      record.seq - expected === 1 ? `record ${expected} is` : `records ${expected} to ${record.seq - 1} are`;
    return finding(
      "deleted",
      expected,
      undefined,
      `${missing} missing: record ${expected - 1} is followed by ${record.seq}`,
    );
  }
  return finding(
    "inserted",
    record.seq,
    record,
    `record ${record.seq} appears again after record ${expected - 1}: request ${record.requestId} was inserted`,
  );
}
