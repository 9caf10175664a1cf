import {
  recordLeafHash,
  treeHeadProblem,
  TreeBuilder,
  treeSuiteByName,
  type SignedTreeHead,
} from "../merkle";
import { treeVerifier, type TrustedKeys } from "../signing";

/** A signed tree head and who holds it: the witness's copy is the one the database cannot touch. */
export interface HeldTreeHead {
  head: SignedTreeHead;
  /** "the witness", "the log" (audit.tree_heads) or "the chain head row". */
  heldBy: string;
}

/** A finding: the first record the head shows was changed or removed, and why. */
export interface TreeHeadFinding {
  kind: "witness" | "deleted" | "signature";
  seq: number;
  message: string;
}

/**
 * Checks, while the chain is walked, that the log holds every signed tree head given: the root
 * of its first `treeSize` records must be the head's. A head whose size is past the log's end
 * means records were deleted; a different root, that records after the last matching head were
 * rewritten. Each head is checked against the tree of the hash suite it names: a log that
 * switched suite has a tree per suite over the same records, built here side by side. `start`
 * is the tree (or the trees, one per suite) at the verification's anchor: empty at genesis, read
 * from the stored nodes when records before it were archived.
 */
export class TreeHeadCheck {
  readonly #heads: HeldTreeHead[];
  #next = 0;
  #matched = 0;
  readonly #builders = new Map<string, TreeBuilder>();
  /** Heads of a suite whose tree at the anchor was not given: they cannot be checked. */
  readonly unchecked: number;

  constructor(
    heads: readonly HeldTreeHead[],
    readonly trusted: TrustedKeys,
    start: TreeBuilder | readonly TreeBuilder[] = [],
    /** Keep building past the last head, for `endProblem` (export files). Default false. */
    readonly toTheEnd = false,
    /** The record hashes the witness mirrored (32 bytes each, from record 1): each is compared. Default none. */
    readonly witnessed: Buffer = Buffer.alloc(0),
  ) {
    const given = start instanceof TreeBuilder ? [start] : start;
    const anchor = given[0]?.size ?? 0;
    for (const builder of given) this.#builders.set(builder.suite.name, builder);
    const later = heads.filter((held) => held.head.treeSize > anchor);
    for (const { head } of later) {
      const suite = treeSuiteByName(head.suite);
      // From genesis any suite's tree is built here; past it, only those whose frontier is known.
      if (suite && anchor === 0 && !this.#builders.has(suite.hash.name))
        this.#builders.set(suite.hash.name, new TreeBuilder(suite.hash));
    }
    // A head of a suite nobody knows stays, for signatures() to report.
    const checkable = (head: SignedTreeHead) =>
      this.#builders.has(head.suite) || !treeSuiteByName(head.suite);
    this.#heads = later
      .filter((held) => checkable(held.head))
      .sort((a, b) => a.head.treeSize - b.head.treeSize);
    this.unchecked = later.length - this.#heads.length;
    this.#matched = anchor;
  }

  /** Heads it checks. */
  get count(): number {
    return this.#heads.length;
  }

  /** A head whose signature does not verify under the trusted keys, before any record is read. */
  signatures(): TreeHeadFinding | null {
    const verify = treeVerifier(this.trusted);
    for (const { head, heldBy } of this.#heads) {
      const problem = treeHeadProblem(head, verify);
      if (problem)
        return {
          kind: "signature",
          seq: head.treeSize,
          message: `the tree head of size ${head.treeSize} held by ${heldBy} is not to be trusted: ${problem}`,
        };
    }
    return null;
  }

  /** Takes the next record of the chain (consecutive from the anchor on). */
  record(seq: number, hash: string): TreeHeadFinding | null {
    if (
      seq * 32 <= this.witnessed.length &&
      this.witnessed.toString("hex", (seq - 1) * 32, seq * 32) !== hash
    )
      return {
        kind: "witness",
        seq,
        message: `record ${seq} is not the one the witness saw (its hash differs): it was changed since it was signed`,
      };
    if (this.#next >= this.#heads.length && !this.toTheEnd) return null;
    for (const builder of this.#builders.values()) builder.append(recordLeafHash(hash, builder.suite));
    while (this.#next < this.#heads.length && this.#heads[this.#next].head.treeSize === seq) {
      const { head, heldBy } = this.#heads[this.#next];
      if (this.#builders.get(head.suite)?.root().toString("hex") !== head.rootHash) {
        return {
          kind: "witness",
          seq: this.#matched + 1,
          message:
            `the first ${head.treeSize} records do not have the root of the tree head signed at ${head.timestamp} ` +
            `and held by ${heldBy}: records ${this.#matched + 1} to ${head.treeSize} were changed since it was signed`,
        };
      }
      this.#matched = seq;
      this.#next += 1;
    }
    return null;
  }

  /**
   * Why `head`, an export's end line's tree head, is not the signed head of its first
   * `head.treeSize` records; null when it is. Needs `toTheEnd`.
   */
  endProblem(head: SignedTreeHead, lastSeq: number): string | null {
    const problem = treeHeadProblem(head, treeVerifier(this.trusted));
    if (problem) return `the end line's tree head is not to be trusted: ${problem}`;
    const builder = this.#builders.get(head.suite);
    if (!builder) return `the end line's tree head is of a ${head.suite} tree the file gives no frontier of`;
    if (head.treeSize > lastSeq)
      return `the end line's tree head is of ${head.treeSize} records, the file's records end at ${lastSeq}`;
    if (head.treeSize === lastSeq && builder.root().toString("hex") !== head.rootHash)
      return `the file's ${lastSeq} records do not have the root of the end line's signed tree head`;
    if (head.treeSize < lastSeq && !this.#heads.some((held) => held.head.rootHash === head.rootHash))
      return `the end line names a tree head of ${head.treeSize} records that the file does not carry`;
    return null;
  }

  /** Once the chain ends at `lastSeq`: a head it never reached means the records it covers are gone. */
  end(lastSeq: number): TreeHeadFinding | null {
    if (this.#next >= this.#heads.length) return null;
    const { head, heldBy } = this.#heads[this.#heads.length - 1];
    return {
      kind: "deleted",
      seq: lastSeq + 1,
      message:
        `${heldBy} holds a tree head of ${head.treeSize} records signed at ${head.timestamp}, but the log ends at ` +
        `${lastSeq}: records ${lastSeq + 1} to ${head.treeSize} were deleted`,
    };
  }
}
