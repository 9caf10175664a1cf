import type { KeyObject } from "node:crypto";
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { headConsistencyProblem, treeHeadProblem, type SignedTreeHead } from "./merkle";
import { treeVerifier } from "./signing";

// The witness (as Certificate Transparency's monitors and witnesses do): someone outside the
// gateway's database keeps every signed tree head it saw, and accepts a new one only with a
// proof that it extends the last. Deleting or rewriting signed records then cannot go unseen,
// whatever the database's owner does, as long as one witness's directory is intact.

/** How the witness reaches the log: the gateway's API, or a store in tests. */
export interface WitnessLog {
  latestTreeHead(): Promise<SignedTreeHead | null>;
  /** Hex or raw hashes of the consistency proof from tree size `from` to `to`. */
  consistency(from: number, to: number): Promise<readonly Uint8Array[]>;
}

/** The witness's own record: its tree heads, one JSON line each, only ever appended. */
export interface WitnessDir {
  readonly path: string;
  heads(): SignedTreeHead[];
  last(): SignedTreeHead | null;
  keep(head: SignedTreeHead): void;
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
  return {
    path,
    heads: () => [...heads],
    last: () => heads.at(-1) ?? null,
    keep(head) {
      const fd = openSync(file, "a", 0o600);
      try {
        appendFileSync(fd, `${JSON.stringify(head)}\n`);
        // A head the witness says it kept must survive a crash of the witness's host.
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      heads.push(head);
    },
  };
}

/** Reads the witness's tree heads for `audit verify --witness`. */
export const witnessHeads = (path: string): SignedTreeHead[] => openWitnessDir(path).heads();

/**
 * One round: fetches the log's latest tree head, checks its signature, and keeps it when it is
 * the first or a proven extension of the last one kept. Throws WitnessAlarm naming the tree sizes
 * on a rollback (a smaller tree), a fork (another root for the same records), or a bad signature.
 */
export async function witnessRound(
  log: WitnessLog,
  dir: WitnessDir,
  trusted: ReadonlyMap<string, KeyObject>,
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
  if (!previous) {
    dir.keep(head);
    return { status: "first", head, previous };
  }
  if (head.treeSize < previous.treeSize)
    throw new WitnessAlarm(
      `rollback: the log's tree head is of size ${head.treeSize}, but the witness holds one of size ${previous.treeSize} ` +
        `(signed at ${previous.timestamp}): records were removed`,
    );
  if (head.treeSize === previous.treeSize) {
    if (head.rootHash !== previous.rootHash)
      throw new WitnessAlarm(
        `fork: the log's tree head of size ${head.treeSize} has root ${head.rootHash}, the witness holds ${previous.rootHash}`,
      );
    return { status: "same", head, previous };
  }
  const proof = await log.consistency(previous.treeSize, head.treeSize);
  const inconsistent = headConsistencyProblem(previous, head, proof);
  if (inconsistent)
    throw new WitnessAlarm(
      `fork: the log's tree head of size ${head.treeSize} does not extend the one of size ${previous.treeSize} ` +
        `the witness holds: ${inconsistent}`,
    );
  dir.keep(head);
  return { status: "new", head, previous };
}
