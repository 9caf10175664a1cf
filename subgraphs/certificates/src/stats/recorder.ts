import { BACKGROUND_SQL, type Db, type Logger } from "@onecert/subgraph-kit";

/** Counts what the service decided, for the supervision figures (see ./read.ts). */
export interface CheckStats {
  /** One matter check and its overall outcome (SATISFIED, NOT_SATISFIED, UNDETERMINED). */
  check(matter: string, outcome: string, at: Date): void;
  /** One proof of `certificate` issued under `matter`. */
  proof(matter: string, certificate: string, at: Date): void;
  /** Writes what was counted (also every `flushMs`). */
  flush(): Promise<void>;
  /** Writes what was counted, then stops. */
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * Counts in memory and adds them to certificates.check_stats every `flushMs` (default 2000), so
 * a check costs no statement of its own. Counts are figures, not evidence (the audit trail is):
 * a crash loses at most the last interval's, and a failed write is kept for the next one.
 */
export function createCheckStats(db: Db, logger: Logger, flushMs = 2000): CheckStats {
  let counts = new Map<string, number>();
  const add = (hour: number, matter: string, kind: "check" | "proof", key: string) => {
    const id = JSON.stringify([hour, matter, kind, key]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  const hourOf = (at: Date) => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  let writing: Promise<void> = Promise.resolve();
  const flush = () =>
    (writing = writing.then(async () => {
      if (counts.size === 0) return;
      const batch = counts;
      counts = new Map();
      const rows = [...batch].map(([id, count]) => {
        const [hour, matter, kind, key] = JSON.parse(id) as [number, string, string, string];
        return { hour: new Date(hour).toISOString(), matter, kind, key, count };
      });
      try {
        await db.query(
          `${BACKGROUND_SQL}INSERT INTO certificates.check_stats (hour, matter, kind, key, count)
           SELECT * FROM json_to_recordset($1::json) AS r(hour timestamptz, matter text, kind text, key text, count integer)
           ON CONFLICT (hour, matter, kind, key) DO UPDATE SET count = check_stats.count + excluded.count`,
          [JSON.stringify(rows)],
        );
      } catch (error) {
        logger.warn({ err: error }, "check statistics not written; kept for the next try");
        for (const [id, count] of batch) counts.set(id, (counts.get(id) ?? 0) + count);
      }
    }));
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    check: (matter, outcome, at) => add(hourOf(at), matter, "check", outcome),
    proof: (matter, certificate, at) => add(hourOf(at), matter, "proof", certificate),
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
