import { randomBytes } from "node:crypto";
import { mkdir, open, unlink } from "node:fs/promises";
import { join } from "node:path";
import { exportLines, writeLinesFile } from "../read/export";
import { AUDIT_SCHEMA, listPartitions, monthRange, partitionName } from "./schema";
import type { AuditStore } from "./store";

export interface RetentionOptions {
  /** Months that ended more than this many days ago are archived and dropped. */
  retentionDays: number;
  archiveDir: string;
  /** Recorded with each archive. */
  replica: string;
  /** The clock; default the system clock. */
  now?: () => Date;
}

export interface ArchivedMonth {
  month: string;
  records: number;
  /** The archive file; null for a month without records. */
  file: string | null;
}

const DAY_MS = 86_400_000;

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves every expired month out of the database, oldest first: its records (with the
 * checkpoints and keys that cover them) go to `<archiveDir>/audit-YYYY-MM.<tag>.ndjson`, fsynced,
 * then one transaction records the archive (last sequence and hash: the anchor the remaining
 * chain links to) and drops the partition. Replicas racing on a month: one transaction wins,
 * the others delete their copy.
 */
export async function archiveExpired(store: AuditStore, options: RetentionOptions): Promise<ArchivedMonth[]> {
  const now = options.now ?? (() => new Date());
  const cutoff = now().getTime() - options.retentionDays * DAY_MS;
  const expired = (await listPartitions(store.db)).filter(
    (month) => monthRange(month).to.getTime() <= cutoff,
  );
  const done: ArchivedMonth[] = [];
  for (const month of expired) {
    const table = `${AUDIT_SCHEMA}.${partitionName(month)}`;
    const [range] = await store.db.query<{ first: number | null; last: number | null; records: number }>(
      `SELECT min(seq) AS first, max(seq) AS last, count(*) AS records FROM ${table}`,
    );
    const records = Number(range?.records ?? 0);
    let file: string | null = null;
    let sha256 = "";
    if (records > 0) {
      await mkdir(options.archiveDir, { recursive: true });
      file = join(options.archiveDir, `audit-${month}.${randomBytes(3).toString("hex")}.ndjson`);
      sha256 = await writeLinesFile(
        file,
        exportLines(store, { afterSeq: Number(range.first) - 1, toSeq: Number(range.last) }),
      );
      await syncDir(options.archiveDir);
    }
    const won = await store.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["onecert-audit-retention"]);
      const [exists] = await tx.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [
        table,
      ]);
      if (!exists?.present) return false;
      const [again] = await tx.query<{ records: number; last: number | null }>(
        `SELECT count(*) AS records, max(seq) AS last FROM ${table}`,
      );
      if (Number(again?.records ?? 0) !== records) return false;
      if (file) {
        const [last] = await tx.query<{ hash: string }>(`SELECT hash FROM ${table} WHERE seq = $1`, [
          range.last,
        ]);
        await tx.query(
          `INSERT INTO ${AUDIT_SCHEMA}.archives (month, first_seq, last_seq, last_hash, records, file, sha256, archived_at, replica)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [month, range.first, range.last, last.hash, records, file, sha256, now(), options.replica],
        );
      }
      await tx.query(`DROP TABLE ${table}`);
      return true;
    });
    if (!won) {
      if (file) await unlink(file).catch(() => undefined);
      continue;
    }
    done.push({ month, records, file });
  }
  return done;
}
