import { hostname } from "node:os";
import { resolve } from "node:path";
import { DATA_DIR, envReader } from "@onecert/subgraph-kit";

/** What happens to a request when its audit record cannot be written to the database. */
export type AuditFailureMode = "fail-closed" | "spool";

/** When an access counts as unusual; see the README's configuration table. */
export interface AnomalyThresholds {
  /** Distinct subjects one operator may touch in an hour before it is flagged. Env AUDIT_ANOMALY_SUBJECTS_PER_HOUR, default 100. */
  subjectsPerHour: number;
  /** Denials of one client and operator within the window that make a burst. Env AUDIT_ANOMALY_DENIALS, default 20. */
  denials: number;
  /** Length of the denial window. Env AUDIT_ANOMALY_DENIAL_WINDOW_MINUTES, default 10. */
  denialWindowMinutes: number;
  /** Working hours in `timeZone`, minutes after midnight [start, end). Env AUDIT_WORKING_HOURS, default 08:00-18:00. */
  workStartMinute: number;
  workEndMinute: number;
  /** ISO weekdays (1 Monday .. 7 Sunday) that are working days. Env AUDIT_WORKING_DAYS, default 1-5. */
  workingDays: number[];
  /** IANA zone for working hours and per-day statistics. Env AUDIT_TIME_ZONE, default Asia/Shanghai. */
  timeZone: string;
}

/** The audit trail's settings, read with the rest of the gateway configuration. */
export interface AuditConfig {
  /** Env AUDIT_DATABASE_URL; unset: the gateway's own PostgreSQL (schema `audit`), or an embedded database of its own. */
  databaseUrl?: string;
  /** The embedded audit database. Env AUDIT_PGLITE_DATA_DIR, default the gateway's embedded directory + "-audit" (in memory when that is). */
  pgliteDataDir?: string;
  /** Env AUDIT_FAILURE_MODE: fail-closed (default; HTTP 503 AUDIT_UNAVAILABLE) or spool. */
  failureMode: AuditFailureMode;
  /** Local spool of records the database did not take (spool mode). Env AUDIT_SPOOL_DIR, default .data/audit-spool. */
  spoolDir: string;
  /** Most records per group commit. Env AUDIT_BATCH_MAX, default 256. */
  batchMax: number;
  /**
   * Longest a record waits for others to share its commit, ms; the writer waits only while records
   * arrive more often than that, so a lone request is committed at once. Env AUDIT_BATCH_WAIT_MS,
   * default 25.
   */
  batchWaitMs: number;
  /** A record not durable after this long fails its request (or is spooled), ms. Env AUDIT_COMMIT_TIMEOUT_MS, default 10000. */
  commitTimeoutMs: number;
  /** Sign a checkpoint every this many records. Env AUDIT_CHECKPOINT_EVERY, default 1000. */
  checkpointEvery: number;
  /**
   * ... or after this many seconds when records were added: the longest a record stays outside a
   * signed tree head (the unsigned window). Env AUDIT_CHECKPOINT_SECONDS, default 10.
   */
  checkpointSeconds: number;
  /** PEM Ed25519 private key. Env AUDIT_SIGNING_KEY_FILE, default .data/audit-signing-key.pem. */
  signingKeyFile: string;
  /** Create the key file when missing. Env AUDIT_GENERATE_SIGNING_KEY, default on unless NODE_ENV=production. */
  generateSigningKey: boolean;
  /** Days a month of records is kept in the database. Env AUDIT_RETENTION_DAYS, default 1095 (3 years). */
  retentionDays: number;
  /** Where expired months are exported before their partition is dropped. Env AUDIT_ARCHIVE_DIR, default .data/audit-archive. */
  archiveDir: string;
  anomalies: AnomalyThresholds;
  /** The name of this gateway process in its records. Env AUDIT_REPLICA, default host:pid. */
  replica: string;
}

type Env = Record<string, string | undefined>;

const clock = (text: string): number | null => {
  const match = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : null;
};

function zoneOk(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads the AUDIT_* variables; each problem is pushed onto `problems` with its variable's name. */
export function readAuditConfig(env: Env, problems: string[]): AuditConfig {
  const { int, bool: flag } = envReader(env, problems);
  const mode = env.AUDIT_FAILURE_MODE || "fail-closed";
  if (mode !== "fail-closed" && mode !== "spool")
    problems.push(`AUDIT_FAILURE_MODE must be "fail-closed" or "spool", got "${mode}"`);
  const hours = env.AUDIT_WORKING_HOURS || "08:00-18:00";
  const [start, end] = hours.split("-").map(clock);
  if (start == null || end == null || start >= end)
    problems.push(`AUDIT_WORKING_HOURS must be HH:MM-HH:MM with the start first, got "${hours}"`);
  const daysText = env.AUDIT_WORKING_DAYS || "1-5";
  const days = parseDays(daysText);
  if (!days)
    problems.push(`AUDIT_WORKING_DAYS must be ISO weekdays like "1-5" or "1,2,3,4,5,6", got "${daysText}"`);
  const timeZone = env.AUDIT_TIME_ZONE || "Asia/Shanghai";
  if (!zoneOk(timeZone)) problems.push(`AUDIT_TIME_ZONE must be an IANA time zone, got "${timeZone}"`);
  return {
    databaseUrl: env.AUDIT_DATABASE_URL || undefined,
    pgliteDataDir: env.AUDIT_PGLITE_DATA_DIR || undefined,
    failureMode: mode === "spool" ? "spool" : "fail-closed",
    spoolDir: env.AUDIT_SPOOL_DIR || resolve(DATA_DIR, "audit-spool"),
    batchMax: int("AUDIT_BATCH_MAX", 256, 1, 10_000),
    batchWaitMs: int("AUDIT_BATCH_WAIT_MS", 25, 0, 1000),
    commitTimeoutMs: int("AUDIT_COMMIT_TIMEOUT_MS", 10_000, 100, 600_000),
    checkpointEvery: int("AUDIT_CHECKPOINT_EVERY", 1000, 1, 10_000_000),
    checkpointSeconds: int("AUDIT_CHECKPOINT_SECONDS", 10, 1, 86_400),
    signingKeyFile: env.AUDIT_SIGNING_KEY_FILE || resolve(DATA_DIR, "audit-signing-key.pem"),
    generateSigningKey: flag("AUDIT_GENERATE_SIGNING_KEY", env.NODE_ENV !== "production"),
    retentionDays: int("AUDIT_RETENTION_DAYS", 1095, 1, 36_500),
    archiveDir: env.AUDIT_ARCHIVE_DIR || resolve(DATA_DIR, "audit-archive"),
    anomalies: {
      subjectsPerHour: int("AUDIT_ANOMALY_SUBJECTS_PER_HOUR", 100, 1, 1_000_000),
      denials: int("AUDIT_ANOMALY_DENIALS", 20, 1, 1_000_000),
      denialWindowMinutes: int("AUDIT_ANOMALY_DENIAL_WINDOW_MINUTES", 10, 1, 1440),
      workStartMinute: start ?? 480,
      workEndMinute: end ?? 1080,
      workingDays: days ?? [1, 2, 3, 4, 5],
      timeZone,
    },
    replica: env.AUDIT_REPLICA || `${hostname()}:${process.pid}`,
  };
}

function parseDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^\s*([1-7])(?:\s*-\s*([1-7]))?\s*$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (to < from) return null;
    for (let day = from; day <= to; day += 1) days.add(day);
  }
  return [...days].sort();
}
