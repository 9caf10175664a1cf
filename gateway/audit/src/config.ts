import { hostname } from "node:os";
import { resolve } from "node:path";
import {
  cryptoSuiteFromEnv,
  DATA_DIR,
  defineSettings,
  env as value,
  setting,
  withDefault,
  type CryptoSuite,
  type Env,
} from "@onecert/subgraph-kit";

/** Where the checkpoint signing key is kept: a file the operator manages, or the keyring table. */
export type AuditKeyStore = "file" | "database";

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
  /**
   * The suite records are hashed, trees built and checkpoints signed in. Env CRYPTO_SUITE (read by
   * the gateway's configuration too, which reports a bad value), default standard.
   */
  suite: CryptoSuite;
  /**
   * PEM private key of `suite` (Ed25519 or SM2), or that PEM sealed with `signingKeySecret`. Env
   * AUDIT_SIGNING_KEY_FILE, default .data/audit-signing-key.pem (standard) or
   * .data/audit-signing-key-national.pem (national), so a development tree switching suite keeps both.
   */
  signingKeyFile: string;
  /**
   * Where the signing key lives. Env AUDIT_SIGNING_KEY_STORE, default file: `signingKeyFile`,
   * rotated by replacing it. database: generated in the audit database's keyring (as proof keys
   * are), sealed with `signingKeySecret`, replaced on its first use past `rotateAfterDays` and by
   * `onecert audit rotate-key`; every replica signs with the one active key.
   */
  signingKeyStore: AuditKeyStore;
  /** Age in days at which a database-kept key is replaced. Env AUDIT_SIGNING_KEY_ROTATE_DAYS, default 90. */
  rotateAfterDays: number;
  /**
   * Seals the key at rest (scrypt + AES-256-GCM): a generated key file, or every key of the
   * database store, which production requires (the database's superuser must not hold a key that
   * can re-sign the log). Env AUDIT_SIGNING_KEY_SECRET.
   */
  signingKeySecret?: string;
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

const positive = (max: number) => value.integer(1, max);

export const AUDIT_SETTINGS = defineSettings("audit", {
  AUDIT_DATABASE_URL: setting(
    value.text(),
    "PostgreSQL for the audit trail",
    "the gateway's PostgreSQL, else embedded",
  ),
  AUDIT_PGLITE_DATA_DIR: setting(
    value.text(),
    "the embedded audit database",
    "the gateway's embedded directory + `-audit`",
  ),
  AUDIT_FAILURE_MODE: withDefault(
    value.oneOf(["fail-closed", "spool"]),
    "fail-closed",
    "what happens to a request whose record cannot be written",
  ),
  AUDIT_SPOOL_DIR: setting(
    value.text(),
    "local spool of records the database did not take",
    "`.data/audit-spool`",
  ),
  AUDIT_BATCH_MAX: withDefault(positive(10_000), 256, "most records per group commit"),
  AUDIT_BATCH_WAIT_MS: withDefault(
    value.integer(0, 1000),
    25,
    "longest a record waits for others to share its commit",
  ),
  AUDIT_COMMIT_TIMEOUT_MS: withDefault(
    value.integer(100, 600_000),
    10_000,
    "a record not committed by then fails its request",
  ),
  AUDIT_CHECKPOINT_EVERY: withDefault(positive(10_000_000), 1000, "records between signed checkpoints"),
  AUDIT_CHECKPOINT_SECONDS: withDefault(
    positive(86_400),
    10,
    "at most this long before new records are signed",
  ),
  AUDIT_SIGNING_KEY_FILE: setting(
    value.text(),
    "private key that signs checkpoints",
    "`.data/audit-signing-key.pem` (`-national.pem` with the national suite)",
  ),
  AUDIT_SIGNING_KEY_STORE: withDefault(
    value.oneOf(["file", "database"]),
    "file",
    "where the checkpoint signing key is kept",
  ),
  AUDIT_SIGNING_KEY_ROTATE_DAYS: withDefault(
    positive(3650),
    90,
    "age at which a database-kept signing key is replaced",
  ),
  AUDIT_SIGNING_KEY_SECRET: setting(
    value.text(),
    "seals the signing key at rest",
    "unset: the key in clear (refused for the database store in production)",
  ),
  AUDIT_GENERATE_SIGNING_KEY: setting(
    value.flag(),
    "create the key file when it is missing",
    "on unless `NODE_ENV=production`",
  ),
  AUDIT_RETENTION_DAYS: withDefault(positive(36_500), 1095, "days a month of records stays in the database"),
  AUDIT_ARCHIVE_DIR: setting(value.text(), "where expired months are exported", "`.data/audit-archive`"),
  AUDIT_REPLICA: setting(value.text(), "the process name in its records", "`host:pid`"),
  AUDIT_TIME_ZONE: withDefault(
    value.matching(zoneOk, "an IANA time zone"),
    "Asia/Shanghai",
    "working hours and per-day statistics",
  ),
  AUDIT_WORKING_HOURS: withDefault(
    value.matching((text) => workingHours(text) !== null, "HH:MM-HH:MM with the start first"),
    "08:00-18:00",
    "data access outside these hours is flagged",
  ),
  AUDIT_WORKING_DAYS: withDefault(
    value.matching((text) => parseDays(text) !== null, 'ISO weekdays like "1-5" or "1,2,3,4,5,6"'),
    "1-5",
    "ISO weekdays (1 Monday) that are working days",
  ),
  AUDIT_ANOMALY_SUBJECTS_PER_HOUR: withDefault(
    positive(1_000_000),
    100,
    "distinct subjects one operator may touch in a clock hour",
  ),
  AUDIT_ANOMALY_DENIALS: withDefault(positive(1_000_000), 20, "denials within the window that make a burst"),
  AUDIT_ANOMALY_DENIAL_WINDOW_MINUTES: withDefault(positive(1440), 10, "the denial window"),
});

function workingHours(text: string): [number, number] | null {
  const [start, end] = text.split("-").map(clock);
  return start == null || end == null || start >= end ? null : [start, end];
}

/** Reads the AUDIT_* variables; each problem is pushed onto `problems` with its variable's name. */
export function readAuditConfig(
  env: Env,
  problems: string[],
  suite: CryptoSuite = cryptoSuiteFromEnv(env, problems),
): AuditConfig {
  const read = AUDIT_SETTINGS.read(env, problems);
  if (
    read.AUDIT_SIGNING_KEY_STORE === "database" &&
    !read.AUDIT_SIGNING_KEY_SECRET &&
    env.NODE_ENV === "production"
  )
    problems.push(
      "AUDIT_SIGNING_KEY_STORE=database needs AUDIT_SIGNING_KEY_SECRET in production: a key kept in clear next to the log lets whoever can rewrite the log re-sign it",
    );
  const [workStartMinute, workEndMinute] = workingHours(read.AUDIT_WORKING_HOURS) ?? [480, 1080];
  return {
    databaseUrl: read.AUDIT_DATABASE_URL,
    pgliteDataDir: read.AUDIT_PGLITE_DATA_DIR,
    failureMode: read.AUDIT_FAILURE_MODE,
    spoolDir: read.AUDIT_SPOOL_DIR ?? resolve(DATA_DIR, "audit-spool"),
    batchMax: read.AUDIT_BATCH_MAX,
    batchWaitMs: read.AUDIT_BATCH_WAIT_MS,
    commitTimeoutMs: read.AUDIT_COMMIT_TIMEOUT_MS,
    checkpointEvery: read.AUDIT_CHECKPOINT_EVERY,
    checkpointSeconds: read.AUDIT_CHECKPOINT_SECONDS,
    suite,
    signingKeyFile:
      read.AUDIT_SIGNING_KEY_FILE ??
      resolve(
        DATA_DIR,
        suite.name === "standard" ? "audit-signing-key.pem" : `audit-signing-key-${suite.name}.pem`,
      ),
    signingKeyStore: read.AUDIT_SIGNING_KEY_STORE,
    rotateAfterDays: read.AUDIT_SIGNING_KEY_ROTATE_DAYS,
    signingKeySecret: read.AUDIT_SIGNING_KEY_SECRET,
    generateSigningKey: read.AUDIT_GENERATE_SIGNING_KEY ?? env.NODE_ENV !== "production",
    retentionDays: read.AUDIT_RETENTION_DAYS,
    archiveDir: read.AUDIT_ARCHIVE_DIR ?? resolve(DATA_DIR, "audit-archive"),
    anomalies: {
      subjectsPerHour: read.AUDIT_ANOMALY_SUBJECTS_PER_HOUR,
      denials: read.AUDIT_ANOMALY_DENIALS,
      denialWindowMinutes: read.AUDIT_ANOMALY_DENIAL_WINDOW_MINUTES,
      workStartMinute,
      workEndMinute,
      workingDays: parseDays(read.AUDIT_WORKING_DAYS) ?? [1, 2, 3, 4, 5],
      timeZone: read.AUDIT_TIME_ZONE,
    },
    replica: read.AUDIT_REPLICA ?? `${hostname()}:${process.pid}`,
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
