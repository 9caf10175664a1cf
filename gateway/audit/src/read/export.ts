import { standardSuite } from "@onecert/subgraph-kit/suites";
import { createReadStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import { createInterface } from "node:readline";
import { GENESIS_HASH, type AuditRecord } from "../record";
import type { Checkpoint, PublicKeyInfo } from "../signing";
import type { AuditStore } from "../store/store";
import { MissingNodeError, rangeNodes, SHA256, type SignedTreeHead, type TreeNode } from "../merkle";

/** First line of an export: where the chain starts and the keys that signed its checkpoints. */
export interface ExportHeader {
  type: "header";
  format: "onecert-audit-export";
  version: 1;
  exportedAt: string;
  /** The record before the first exported one (seq 0 and 64 zeros: the start of the chain). */
  anchor: { seq: number; hash: string };
  keys: PublicKeyInfo[];
  /**
   * The Merkle tree's frontier at the anchor (hex hashes of rangeNodes(0, anchor)), so the
   * records of a later range can be checked against signed tree heads; absent from seq 0.
   */
  frontier?: { level: number; index: number; hash: string }[];
  /** The hash suite of the tree `frontier` belongs to ("sha256" when absent, as before suites). */
  frontierSuite?: string;
}

/** Last line: how many records came and the last of them; a file without it was cut short. */
export interface ExportEnd {
  type: "end";
  records: number;
  lastSeq: number;
  lastHash: string;
  /**
   * The largest signed tree head within the file (of `lastSeq` records when the export ends on
   * one): what the end line claims is then backed by the log's key up to that size.
   */
  treeHead?: SignedTreeHead;
}

export interface ExportRange {
  /** Export records after this sequence. Default: after the last archived month (or from the start). */
  afterSeq?: number;
  /** ... up to this one. Default: the chain head when the export starts. */
  toSeq?: number;
}

/**
 * The chain as NDJSON lines: header (anchor and public keys), the checkpoints in the range, the
 * records in order, and an end line. Everything `audit verify` needs travels in the file.
 */
export async function* exportLines(store: AuditStore, range: ExportRange = {}): AsyncGenerator<string> {
  const head = await store.head();
  const archived = (await store.archives()).at(-1);
  const afterSeq = range.afterSeq ?? archived?.lastSeq ?? 0;
  const toSeq = Math.min(range.toSeq ?? head.seq, head.seq);
  let anchorHash = afterSeq === 0 ? GENESIS_HASH : afterSeq === archived?.lastSeq ? archived.lastHash : null;
  const records = store.records(afterSeq, toSeq)[Symbol.asyncIterator]();
  const first = await records.next();
  anchorHash ??= first.done ? head.hash : first.value.prevHash;
  const header: ExportHeader = {
    type: "header",
    format: "onecert-audit-export",
    version: 1,
    exportedAt: new Date().toISOString(),
    anchor: { seq: afterSeq, hash: anchorHash },
    keys: await store.publicKeys(),
  };
  if (afterSeq > 0) {
    const ids = rangeNodes(0, afterSeq);
    // The tree the log signs now: the one whose heads the exported range is checked against.
    const suite = (await store.latestTreeHead())?.suite ?? SHA256.name;
    try {
      const hashes = await store.nodesOf(suite).readNodes(ids);
      header.frontier = ids.map((id, at) => ({ ...id, hash: hashes[at].toString("hex") }));
      header.frontierSuite = suite;
    } catch (error) {
      if (!(error instanceof MissingNodeError)) throw error;
    }
  }
  yield JSON.stringify(header);
  for (const checkpoint of await store.checkpoints(afterSeq, toSeq)) {
    yield JSON.stringify({ type: "checkpoint", ...checkpoint });
  }
  const treeHeads = await store.treeHeads(afterSeq, toSeq);
  for (const treeHead of treeHeads) yield JSON.stringify({ type: "tree-head", ...treeHead });
  let count = 0;
  let last = { seq: afterSeq, hash: anchorHash };
  for (let step = first; !step.done; step = await records.next()) {
    count += 1;
    last = { seq: step.value.seq, hash: step.value.hash };
    yield JSON.stringify({ type: "record", ...step.value });
  }
  const end: ExportEnd = { type: "end", records: count, lastSeq: last.seq, lastHash: last.hash };
  const closing = treeHeads.filter((treeHead) => treeHead.treeSize <= last.seq).at(-1);
  if (closing) end.treeHead = closing;
  yield JSON.stringify(end);
}

/** Writes lines to `path` through a temporary file, fsynced and renamed; returns the file's sha256. */
export async function writeLinesFile(path: string, lines: AsyncIterable<string>): Promise<string> {
  const temporary = `${path}.partial`;
  const handle = await open(temporary, "w", 0o640);
  // A file checksum in audit.archives.sha256, as sha256sum prints it: no artefact of the suite.
  const hash = standardSuite.createDigest();
  try {
    let pending: string[] = [];
    const flush = async () => {
      const text = pending.join("");
      pending = [];
      hash.update(text);
      await handle.write(text);
    };
    for await (const line of lines) {
      pending.push(`${line}\n`);
      if (pending.length >= 1000) await flush();
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  return hash.digest("hex");
}

/** An export file opened for verification. */
export interface ExportSource {
  file: string;
  header: ExportHeader;
  checkpoints: Checkpoint[];
  /** The signed tree heads the file carries. */
  treeHeads: SignedTreeHead[];
  /** The tree at the anchor, from the header's frontier; null when the file has none. */
  frontier: TreeNode[] | null;
  /** The records in file order; read once. */
  records: AsyncIterable<AuditRecord>;
  /** The end line, once `records` has been read to the end; null when the file has none. */
  end(): ExportEnd | null;
}

/** A file that is not an export, or whose lines do not parse. */
export class ExportFormatError extends Error {}

/** Opens an export: reads the header and checkpoints now and streams the records. */
export async function readExport(file: string): Promise<ExportSource> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  let number = 0;
  const nextLine = async (): Promise<Record<string, unknown> | null> => {
    for (;;) {
      const step = await lines.next();
      if (step.done) return null;
      number += 1;
      if (step.value.trim() === "") continue;
      try {
        return JSON.parse(step.value) as Record<string, unknown>;
      } catch {
        throw new ExportFormatError(`${file}:${number}: not a JSON line`);
      }
    }
  };
  const header = (await nextLine()) as ExportHeader | null;
  if (header?.type !== "header" || header.format !== "onecert-audit-export") {
    throw new ExportFormatError(`${file} is not a OneCert audit export (no header line)`);
  }
  const checkpoints: Checkpoint[] = [];
  let line = await nextLine();
  while (line?.type === "checkpoint") {
    const { type: _type, ...checkpoint } = line;
    checkpoints.push(checkpoint as unknown as Checkpoint);
    line = await nextLine();
  }
  const treeHeads: SignedTreeHead[] = [];
  while (line?.type === "tree-head") {
    const { type: _type, ...treeHead } = line;
    treeHeads.push(treeHead as unknown as SignedTreeHead);
    line = await nextLine();
  }
  let end: ExportEnd | null = null;
  async function* records(): AsyncGenerator<AuditRecord> {
    for (; line; line = await nextLine()) {
      if (line.type === "end") {
        end = line as unknown as ExportEnd;
        continue;
      }
      if (end) throw new ExportFormatError(`${file}:${number}: a line after the end line`);
      if (line.type !== "record")
        throw new ExportFormatError(`${file}:${number}: unexpected line type ${String(line.type)}`);
      const { type: _type, ...record } = line;
      yield record as unknown as AuditRecord;
    }
  }
  const frontier =
    header.frontier?.map((node) => ({
      level: node.level,
      index: node.index,
      hash: Buffer.from(node.hash, "hex"),
    })) ?? null;
  return { file, header, checkpoints, treeHeads, frontier, records: records(), end: () => end };
}
