import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  headConsistencyProblem,
  recordLeafHash,
  TreeBuilder,
  treeHeadProblem,
  treeSuiteByName,
  type HashSuite,
  type SignedTreeHead,
} from "./merkle";
import { treeVerifier, type TrustedKeys } from "./signing";

// The witness (as Certificate Transparency's monitors and witnesses do): someone outside the
// gateway's database keeps every signed tree head it saw, and accepts a new one only with a
// proof that it extends the last. Deleting or rewriting signed records then cannot go unseen,
// whatever the database's owner does, as long as one witness's directory is intact.

/** How the witness reaches the log: the gateway's API, or a store in tests. */
export interface WitnessLog {
  latestTreeHead(): Promise<SignedTreeHead | null>;
  /** Hex or raw hashes of the consistency proof from tree size `from` to `to`. */
  consistency(from: number, to: number): Promise<readonly Uint8Array[]>;
  /** The record hashes (hex) of records `from + 1` to `to`, which the witness mirrors. */
  recordHashes(from: number, to: number): Promise<readonly string[]>;
}

/** The witness's own record: its tree heads, one JSON line each, only ever appended. */
export interface WitnessDir {
  readonly path: string;
  heads(): SignedTreeHead[];
  last(): SignedTreeHead | null;
  keep(head: SignedTreeHead): void;
  /** The record hashes kept, 32 bytes each, in order: record i is bytes 32(i-1) to 32i. */
  recordHashes(): Buffer;
  /** Appends record hashes (hex), fsynced. */
  keepRecordHashes(hashes: readonly string[]): void;
  /** A copy of the `suite` tree over the record hashes kept, to extend and check before keeping more. */
  tree(suite: HashSuite): TreeBuilder;
}

/** What one round saw. */
export interface WitnessRound {
  /** first: the first head kept; new: a larger one, proven consistent; same: nothing new; empty: no head yet. */
  status: "first" | "new" | "same" | "empty";
  head: SignedTreeHead | null;
  previous: SignedTreeHead | null;
}

/** A fork, a rollback, or a head that is not signed by a trusted key: the log must not be trusted. */
export class WitnessAlarm extends Error {
  override name = "WitnessAlarm";
}

const FILE = "tree-heads.jsonl";
/** The record hashes the witness mirrored, 32 raw bytes each: what lets verify name the exact record changed. */
const HASHES = "record-hashes.bin";

function appendSynced(file: string, data: string | Buffer): void {
  const fd = openSync(file, "a", 0o600);
  try {
    appendFileSync(fd, data);
    // What the witness says it kept must survive a crash of the witness's host.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens (creating) a witness directory. A line that does not parse is an error, not skipped. */
export function openWitnessDir(path: string): WitnessDir {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const file = join(path, FILE);
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const heads = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      try {
        return JSON.parse(line) as SignedTreeHead;
      } catch {
        throw new Error(`${file} line ${index + 1} is not a tree head: the witness's record is damaged`);
      }
    });
  const hashesFile = join(path, HASHES);
  let hashes = Buffer.alloc(0);
  // One tree per hash suite the log's heads were in: a log that switched suite has two.
  const kept = new Map<string, TreeBuilder>();
  try {
    if (statSync(hashesFile).size % 32 !== 0)
      throw new Error(
        `${hashesFile} is not a whole number of 32-byte hashes: the witness's record is damaged`,
      );
    hashes = readFileSync(hashesFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return {
    path,
    heads: () => [...heads],
    last: () => heads.at(-1) ?? null,
    keep(head) {
      appendSynced(file, `${JSON.stringify(head)}\n`);
      heads.push(head);
    },
    recordHashes: () => hashes,
    tree(suite) {
      // Built once per process and suite from the kept hashes; each later round only appends.
      let tree = kept.get(suite.name);
      if (!tree) {
        tree = new TreeBuilder(suite);
        for (let at = 0; at < hashes.length; at += 32)
          tree.append(recordLeafHash(hashes.toString("hex", at, at + 32), suite));
        kept.set(suite.name, tree);
      }
      return TreeBuilder.resume(tree.frontier(), suite);
    },
    keepRecordHashes(list) {
      for (const tree of kept.values())
        for (const hash of list) tree.append(recordLeafHash(hash, tree.suite));
      const added = Buffer.concat(list.map((hash) => Buffer.from(hash, "hex")));
      appendSynced(hashesFile, added);
      hashes = Buffer.concat([hashes, added]);
    },
  };
}

/** Reads the witness's tree heads for `audit verify --witness`. */
export const witnessHeads = (path: string): SignedTreeHead[] => openWitnessDir(path).heads();

/** Reads the record hashes the witness mirrored, for `audit verify --witness`. */
export const witnessRecordHashes = (path: string): Buffer => openWitnessDir(path).recordHashes();

const PAGE = 10_000;

/**
 * Mirrors the record hashes up to `head` and checks that they, with those kept, give its root in
 * its suite: the log then cannot serve a witness other hashes than it signed. Kept only once they
 * check. Across a suite switch this is the consistency check: the kept hashes gave the old
 * suite's root, and with the new ones they must give the new suite's.
 */
async function mirrorRecordHashes(
  log: WitnessLog,
  dir: WitnessDir,
  head: SignedTreeHead,
  suite: HashSuite,
): Promise<void> {
  const kept = dir.recordHashes().length / 32;
  if (kept >= head.treeSize) {
    // Nothing new to mirror, but a head of a suite not seen before must match the kept hashes.
    const tree = dir.tree(suite);
    if (kept === head.treeSize && tree.root().toString("hex") !== head.rootHash)
      throw new WitnessAlarm(
        `fork: the record hashes the witness holds up to ${head.treeSize} do not give the root of the log's ${suite.name} tree head`,
      );
    return;
  }
  const fresh: string[] = [];
  for (let from = kept; from < head.treeSize; from += PAGE) {
    const page = await log.recordHashes(from, Math.min(from + PAGE, head.treeSize));
    if (page.length === 0) throw new Error(`the log served no record hashes after ${from}`);
    fresh.push(...page);
  }
  const tree = dir.tree(suite);
  const adding = fresh.slice(0, head.treeSize - kept);
  for (const hash of adding) tree.append(recordLeafHash(hash, suite));
  if (tree.size !== head.treeSize || tree.root().toString("hex") !== head.rootHash)
    throw new WitnessAlarm(
      `fork: the record hashes the log serves up to ${head.treeSize} do not give the root of its signed tree head`,
    );
  dir.keepRecordHashes(adding);
}

/**
 * One round: fetches the log's latest tree head, checks its signature, and keeps it when it is
 * the first or a proven extension of the last one kept. Throws WitnessAlarm naming the tree sizes
 * on a rollback (a smaller tree), a fork (another root for the same records), or a bad signature.
 * A head in another suite than the last (the log switched) has no consistency proof to the last
 * (the two trees hash differently); the mirrored record hashes stand in for it.
 */
export async function witnessRound(
  log: WitnessLog,
  dir: WitnessDir,
  trusted: TrustedKeys,
): Promise<WitnessRound> {
  const head = await log.latestTreeHead();
  const previous = dir.last();
  if (!head) {
    if (previous)
      throw new WitnessAlarm(
        `rollback: the log serves no tree head, but the witness holds one of size ${previous.treeSize}`,
      );
    return { status: "empty", head: null, previous };
  }
  const problem = treeHeadProblem(head, treeVerifier(trusted));
  if (problem)
    throw new WitnessAlarm(`the log's tree head of size ${head.treeSize} is not to be trusted: ${problem}`);
  // treeHeadProblem refused a head of a suite it does not know.
  const suite = treeSuiteByName(head.suite)!.hash;
  if (!previous) {
    await mirrorRecordHashes(log, dir, head, suite);
    dir.keep(head);
    return { status: "first", head, previous };
  }
  if (head.treeSize < previous.treeSize)
    throw new WitnessAlarm(
      `rollback: the log's tree head is of size ${head.treeSize}, but the witness holds one of size ${previous.treeSize} ` +
        `(signed at ${previous.timestamp}): records were removed`,
    );
  if (head.treeSize === previous.treeSize && head.suite === previous.suite) {
    if (head.rootHash !== previous.rootHash)
      throw new WitnessAlarm(
        `fork: the log's tree head of size ${head.treeSize} has root ${head.rootHash}, the witness holds ${previous.rootHash}`,
      );
    return { status: "same", head, previous };
  }
  if (head.suite === previous.suite) {
    const proof = await log.consistency(previous.treeSize, head.treeSize);
    const inconsistent = headConsistencyProblem(previous, head, proof, suite);
    if (inconsistent)
      throw new WitnessAlarm(
        `fork: the log's tree head of size ${head.treeSize} does not extend the one of size ${previous.treeSize} ` +
          `the witness holds: ${inconsistent}`,
      );
  }
  await mirrorRecordHashes(log, dir, head, suite);
  dir.keep(head);
  return { status: "new", head, previous };
}
