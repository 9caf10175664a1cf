import { basename, join } from "node:path";
import { readExport, type ExportSource } from "../read/export";
import { GENESIS_HASH, type AuditRecord } from "../record";
import { keyMap, type Checkpoint, type TrustedKeys } from "../signing";
import type { AuditStore } from "../store/store";
import { verifyChain, type VerifyReport } from "./verify";
import {
  MissingNodeError,
  resumeBuilder,
  SHA256,
  TreeBuilder,
  treeSuiteByName,
  type SignedTreeHead,
} from "../merkle";
import { TreeHeadCheck, type HeldTreeHead } from "./tree-heads";

/** A verification with what it was run on and what the reader should know about it. */
export interface VerifyOutcome extends VerifyReport {
  /** Where the records came from. */
  sources: string[];
  /** "given": checkpoints checked against keys passed in; "source": against keys the log itself carries. */
  keysFrom: "given" | "source";
  warnings: string[];
}

export interface VerifyOptions {
  /** Trusted public keys by id; without them the keys the source carries are used (with a warning). */
  keys?: TrustedKeys;
  /**
   * Tree heads a witness kept (`onecert audit witness`): the log must hold each, with its root.
   * Without them, deleting or rewriting the log together with its own signed heads goes unseen.
   */
  witness?: readonly SignedTreeHead[];
  /** The record hashes the witness mirrored: with them a change is named at its exact record. */
  witnessRecordHashes?: Buffer;
}

const NO_WITNESS_WARNING =
  "no witness was given (--witness): a database owner who deletes or rewrites records together with their checkpoints " +
  "and tree heads is only caught by comparing with tree heads kept outside the database";

const SOURCE_KEYS_WARNING =
  "checkpoints were checked against public keys held by the log itself: this proves the records are complete and in order " +
  "since they were signed, but not who signed them; pass --keys with keys obtained out of band";

async function* concat(parts: (() => AsyncIterable<AuditRecord>)[]): AsyncGenerator<AuditRecord> {
  for (const part of parts) yield* part();
}

function finish(report: VerifyReport, sources: string[], given: boolean, warnings: string[]): VerifyOutcome {
  if (!given) warnings.unshift(SOURCE_KEYS_WARNING);
  if (report.ok && report.unsigned > 0) {
    warnings.push(
      `the last ${report.unsigned} record(s) are chained but not yet covered by a signed checkpoint`,
    );
  }
  return { ...report, sources, keysFrom: given ? "given" : "source", warnings };
}

/**
 * Verifies the chain in the database. With `archiveDir`, the archived months are read from their
 * files there and checked as the start of the same chain; without it the database's records are
 * checked from the last archived record on.
 */
export async function verifyStore(
  store: AuditStore,
  options: VerifyOptions & { archiveDir?: string } = {},
): Promise<VerifyOutcome> {
  const archives = await store.archives();
  const warnings: string[] = [];
  const files: ExportSource[] = [];
  if (options.archiveDir) {
    for (const archive of archives)
      files.push(await readExport(join(options.archiveDir, basename(archive.file))));
  }
  const last = archives.at(-1);
  const anchor =
    options.archiveDir || !last ? { seq: 0, hash: GENESIS_HASH } : { seq: last.lastSeq, hash: last.lastHash };
  if (!options.archiveDir && last) {
    warnings.push(`records 1 to ${last.lastSeq} are archived; add --archives to verify them with the rest`);
  }
  const checkpoints: Checkpoint[] = [
    ...files.flatMap((file) => file.checkpoints),
    ...(await store.checkpoints()),
  ];
  const head = await store.head();
  const pems = [...files.flatMap((file) => file.header.keys), ...(await store.publicKeys())].map(
    (key) => key.publicKey,
  );
  const trustedKeys = options.keys ?? keyMap(pems);
  const held: HeldTreeHead[] = [
    ...(options.witness ?? []).map((one) => ({ head: one, heldBy: "the witness" })),
    ...(await store.treeHeads()).map((one) => ({ head: one, heldBy: "the log" })),
  ];
  const headRow = await store.headRowTreeHead();
  if (headRow) held.push({ head: headRow, heldBy: "the chain head row" });
  if (!options.witness) warnings.push(NO_WITNESS_WARNING);
  // From an archive anchor on, each suite's tree is picked up from its stored nodes.
  const builders: TreeBuilder[] = [];
  if (anchor.seq > 0) {
    for (const name of new Set(held.map((one) => one.head.suite))) {
      const suite = treeSuiteByName(name)?.hash;
      if (!suite) continue;
      try {
        builders.push(await resumeBuilder(store.nodesOf(name), anchor.seq, suite));
      } catch (error) {
        if (!(error instanceof MissingNodeError)) throw error;
        warnings.push(
          `${name} tree heads not checked: the tree's nodes up to record ${anchor.seq} are not stored`,
        );
      }
    }
  }
  const treeHeads = new TreeHeadCheck(held, trustedKeys, builders, false, options.witnessRecordHashes);
  const report = await verifyChain({
    anchor,
    records: concat([...files.map((file) => () => file.records), () => store.records(anchor.seq)]),
    checkpoints,
    trustedKeys,
    head: () => ({ seq: head.seq, hash: head.hash }),
    treeHeads,
  });
  const signedUpTo = report.lastSeq - report.unsigned;
  if (report.ok && head.checkpointSeq > signedUpTo) {
    return finish(
      {
        ...report,
        ok: false,
        problem: {
          kind: "checkpoint",
          seq: signedUpTo + 1,
          message:
            `the chain head says records up to ${head.checkpointSeq} were signed, but the log holds checkpoints only ` +
            `up to ${signedUpTo}: checkpoints were removed`,
        },
      },
      [...files.map((file) => file.file), "database"],
      !!options.keys,
      warnings,
    );
  }
  return finish(report, [...files.map((file) => file.file), "database"], !!options.keys, warnings);
}

/** Verifies one or more export or archive files as one chain, in the order of their anchors. */
export async function verifyFiles(
  paths: readonly string[],
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const files = await Promise.all(paths.map((path) => readExport(path)));
  files.sort((a, b) => a.header.anchor.seq - b.header.anchor.seq);
  const first = files[0];
  if (!first) throw new Error("no files to verify");
  const warnings: string[] = [];
  if (first.header.anchor.seq > 0) {
    warnings.push(
      `the export starts after record ${first.header.anchor.seq}: that record's hash is taken from the file; ` +
        "verify together with the archive files before it to check the whole chain",
    );
  }
  const lastFile = files[files.length - 1];
  const trustedKeys =
    options.keys ?? keyMap(files.flatMap((file) => file.header.keys.map((key) => key.publicKey)));
  let treeHeads: TreeHeadCheck | undefined;
  if (!options.witness) warnings.push(NO_WITNESS_WARNING);
  if (first.header.anchor.seq === 0 || first.frontier) {
    const held: HeldTreeHead[] = [
      ...(options.witness ?? []).map((head) => ({ head, heldBy: "the witness" })),
      ...files.flatMap((file) => file.treeHeads.map((head) => ({ head, heldBy: file.file }))),
    ];
    const frontierSuite = treeSuiteByName(first.header.frontierSuite ?? SHA256.name)?.hash;
    if (first.frontier && !frontierSuite)
      throw new Error(
        `${first.file}: its frontier is of an unknown hash suite ${first.header.frontierSuite}`,
      );
    const builders =
      first.frontier && frontierSuite ? [TreeBuilder.resume(first.frontier, frontierSuite)] : [];
    treeHeads = new TreeHeadCheck(held, trustedKeys, builders, true, options.witnessRecordHashes);
    if (treeHeads.unchecked > 0)
      warnings.push(
        `${treeHeads.unchecked} tree head(s) not checked: ${first.file} gives the frontier of the ${frontierSuite?.name} tree only`,
      );
  } else {
    warnings.push(
      `tree heads not checked: ${first.file} starts after record ${first.header.anchor.seq} without the tree's frontier`,
    );
  }
  const report = await verifyChain({
    anchor: first.header.anchor,
    records: concat(files.map((file) => () => file.records)),
    checkpoints: files.flatMap((file) => file.checkpoints),
    treeHeads,
    trustedKeys,
    head: () => {
      const end = lastFile.end();
      return end && { seq: end.lastSeq, hash: end.lastHash };
    },
  });
  const outcome = finish(
    report,
    files.map((file) => file.file),
    !!options.keys,
    warnings,
  );
  const end = lastFile.end();
  if (outcome.ok && end?.treeHead && treeHeads) {
    const problem = treeHeads.endProblem(end.treeHead, outcome.lastSeq);
    if (problem)
      return { ...outcome, ok: false, problem: { kind: "head", seq: outcome.lastSeq, message: problem } };
  }
  const covered = end?.treeHead?.treeSize ?? first.header.anchor.seq;
  if (outcome.ok && end && covered < end.lastSeq) {
    outcome.warnings.push(
      `records ${covered + 1} to ${end.lastSeq} are not covered by a signed tree head in the file: ` +
        "a cut or a rewrite there is seen only against a witness",
    );
  }
  const cut = files.find((file) => file.end() === null);
  if (outcome.ok && cut) {
    return {
      ...outcome,
      ok: false,
      problem: {
        kind: "deleted",
        seq: outcome.lastSeq + 1,
        message: `${cut.file} has no end line: the file was cut short, records after ${outcome.lastSeq} may be missing`,
      },
    };
  }
  return outcome;
}
