import {
  inclusionProofProblem,
  openWitnessDir,
  parsePublicKeys,
  witnessRound,
  WitnessAlarm,
  type InclusionProofFile,
  type SignedTreeHead,
} from "@onecert/audit";
import { readFileSync, writeFileSync } from "node:fs";
import { adminCall } from "./admin-client";
import { UsageError } from "./options";
import { waitForShutdown } from "./signals";

/** The exit code of a witness that saw the log forked or rolled back: apart from usage (2) and failures (1). */
export const ALARM_EXIT = 3;

const keysFrom = (file: string | undefined) => {
  if (!file)
    throw new UsageError(
      "--keys FILE is required: the log's public keys, obtained out of band (`onecert audit public-key` on the gateway host)",
    );
  return parsePublicKeys(readFileSync(file, "utf8"));
};

/** The gateway's audit log as the witness reads it: its admin API, with ONECERT_URL and ONECERT_API_KEY. */
const httpLog = {
  async latestTreeHead() {
    return (await adminCall<{ treeHead: SignedTreeHead | null }>("GET", "/audit/tree-head")).treeHead;
  },
  async consistency(from: number, to: number) {
    const found = await adminCall<{ proof: string[] }>("GET", `/audit/consistency?from=${from}&to=${to}`);
    return found.proof.map((hash) => Buffer.from(hash, "hex"));
  },
  async recordHashes(from: number, to: number) {
    return (await adminCall<{ hashes: string[] }>("GET", `/audit/record-hashes?from=${from}&to=${to}`))
      .hashes;
  },
};

/**
 * `onecert audit witness --dir DIR --keys KEYS [--once] [--interval S]`: keeps every signed tree
 * head of the gateway's log in DIR, each checked to extend the last. Exit 3 with the tree sizes
 * on a fork or a rollback; with --once, one round (for cron).
 */
export async function witnessCommand(flags: {
  dir?: string;
  keys?: string;
  once?: boolean;
  interval?: string;
}): Promise<number> {
  if (!flags.dir) throw new UsageError("audit witness needs --dir DIR, where it keeps the tree heads it saw");
  const trusted = keysFrom(flags.keys);
  const interval = Number(flags.interval ?? 10);
  if (!Number.isFinite(interval) || interval < 1)
    throw new UsageError("--interval must be at least 1 second");
  const dir = openWitnessDir(flags.dir);
  const round = async () => {
    const seen = await witnessRound(httpLog, dir, trusted);
    if (seen.status === "first" || seen.status === "new")
      process.stdout.write(
        `tree head ${seen.head!.treeSize} (${seen.head!.timestamp}) kept` +
          (seen.previous ? `, consistent with ${seen.previous.treeSize}` : "") +
          "\n",
      );
    else if (seen.status === "empty") process.stdout.write("the log has no signed tree head yet\n");
  };
  try {
    await round();
    if (flags.once) return 0;
    let stopped = false;
    const shutdown = waitForShutdown().then(() => (stopped = true));
    while (!stopped) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        shutdown,
        new Promise((resolve) => (timer = setTimeout(resolve, interval * 1000))),
      ]);
      clearTimeout(timer);
      if (!stopped) await round();
    }
    return 0;
  } catch (error) {
    if (!(error instanceof WitnessAlarm)) throw error;
    process.stderr.write(`onecert audit witness: ALARM: ${error.message}\n`);
    return ALARM_EXIT;
  }
}

/**
 * `onecert audit prove --record SEQ [--tree-size N] [--out FILE]`: the record's inclusion proof
 * in a signed tree head, as a file a third party checks with `audit check-proof` (or the
 * standalone verifier) and the public key alone.
 */
export async function proveCommand(flags: {
  record?: string;
  "tree-size"?: string;
  out?: string;
}): Promise<number> {
  if (!flags.record || !/^\d{1,15}$/.test(flags.record))
    throw new UsageError("audit prove needs --record SEQ");
  const seq = Number(flags.record);
  const sizeQuery = flags["tree-size"] ? `&treeSize=${encodeURIComponent(flags["tree-size"])}` : "";
  const found = await adminCall<{ treeSize: number; recordHash: string; proof: string[] }>(
    "GET",
    `/audit/inclusion?seq=${seq}${sizeQuery}`,
  );
  const { treeHeads } = await adminCall<{ treeHeads: SignedTreeHead[] }>(
    "GET",
    `/audit/tree-heads?after=${found.treeSize - 1}`,
  );
  const treeHead = treeHeads.find((head) => head.treeSize === found.treeSize);
  if (!treeHead) throw new UsageError(`the log signed no tree head of size ${found.treeSize}`);
  const file: InclusionProofFile = {
    type: "onecert-audit-inclusion-proof",
    seq,
    recordHash: found.recordHash,
    treeHead,
    proof: found.proof,
  };
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (flags.out) writeFileSync(flags.out, text);
  else process.stdout.write(text);
  return 0;
}

/** `onecert audit check-proof FILE --keys KEYS`: exit 0 when the proof holds, 1 with the reason when not. */
export function checkProofCommand(file: string | undefined, keys: string | undefined): number {
  if (!file) throw new UsageError("audit check-proof needs the proof FILE");
  const problem = inclusionProofProblem(
    JSON.parse(readFileSync(file, "utf8")) as InclusionProofFile,
    keysFrom(keys),
  );
  if (problem) {
    process.stdout.write(`The proof does NOT hold: ${problem}\n`);
    return 1;
  }
  const proof = JSON.parse(readFileSync(file, "utf8")) as InclusionProofFile;
  process.stdout.write(
    `Record ${proof.seq} is in the audit log's tree of ${proof.treeHead.treeSize} records signed at ${proof.treeHead.timestamp}.\n`,
  );
  return 0;
}
