import { standardSuite } from "@onecert/subgraph-kit/suites";
import { createReadStream } from "node:fs";
import { basename, join } from "node:path";
import { readExport } from "../read/export";
import type { Queryable } from "@onecert/subgraph-kit/db";
import { buildNodes, MissingNodeError, recordLeafHash, resumeBuilder, type HashSuite } from "../merkle";
import { GENESIS_HASH, recordIntact } from "../record";
import { AUDIT_SCHEMA } from "./schema";
import { toArchive, type ArchiveInfo, type Row } from "./sql";
import { lastArchivedSeq, latestTreeHead, sqlNodeStore } from "./tree";

/** The hashes of records the database no longer holds, in chain order, from `firstSeq` on. */
export type ArchivedHashes = (
  archives: readonly ArchiveInfo[],
) => AsyncIterable<{ seq: number; hash: string }>;

/** An archive file that cannot stand in for the records it replaced. */
export class ArchiveUnusableError extends Error {}

async function fileSha256(file: string): Promise<string> {
  const digest = standardSuite.createDigest();
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  return digest.digest("hex");
}

/**
 * Reads archived record hashes back from the month files in `archiveDir` (named as
 * audit.archives names them), for the first tree of a suite switched to after retention dropped
 * those months: a tree covers every record from the first. A file is used only when it is the
 * one archived (its SHA-256 as recorded) and its records are intact, each linked to the one
 * before and the last on the archived hash; anything else is an ArchiveUnusableError.
 */
export function archiveFileHashes(archiveDir: string): ArchivedHashes {
  return async function* (archives) {
    let previous = { seq: 0, hash: GENESIS_HASH };
    for (const archive of archives) {
      const file = join(archiveDir, basename(archive.file));
      const sha256 = await fileSha256(file).catch((error: unknown) => {
        throw new ArchiveUnusableError(`archive ${file} cannot be read: ${(error as Error).message}`);
      });
      if (sha256 !== archive.sha256)
        throw new ArchiveUnusableError(`archive ${file} is not the file archived (its SHA-256 differs)`);
      const source = await readExport(file);
      for await (const record of source.records) {
        if (record.seq !== previous.seq + 1 || record.prevHash !== previous.hash || !recordIntact(record))
          throw new ArchiveUnusableError(`archive ${file}: record ${record.seq} does not follow the chain`);
        previous = { seq: record.seq, hash: record.hash };
        yield previous;
      }
      if (previous.seq !== archive.lastSeq || previous.hash !== archive.lastHash)
        throw new ArchiveUnusableError(
          `archive ${file} does not end on record ${archive.lastSeq} as archived`,
        );
    }
  };
}

/**
 * Writes the `suite` tree's nodes over the archived records, when the log switched to `suite`
 * after retention dropped its first months and that part is not built yet; returns the records
 * it covered (0: nothing to build). It runs outside the chain head's lock, as reading years of
 * archive files must not hold up appends; the nodes of records that never change are the same
 * whichever replica writes them. signTreeTo then signs the suite's first head from there.
 */
export async function buildArchivedTree(
  q: Queryable,
  suite: HashSuite,
  archived: ArchivedHashes,
): Promise<number> {
  if (await latestTreeHead(q, suite.name)) return 0;
  const last = await lastArchivedSeq(q);
  if (last === 0) return 0;
  const nodes = sqlNodeStore(q, suite.name);
  try {
    await resumeBuilder(nodes, last, suite);
    return 0;
  } catch (error) {
    if (!(error instanceof MissingNodeError)) throw error;
  }
  const rows = await q.query<Row>(
    `SELECT month, first_seq, last_seq, last_hash, records, file, sha256 FROM ${AUDIT_SCHEMA}.archives ORDER BY first_seq`,
  );
  async function* leaves() {
    for await (const { hash } of archived(rows.map(toArchive))) yield recordLeafHash(hash, suite);
  }
  await buildNodes(leaves(), nodes, { suite });
  return last;
}
