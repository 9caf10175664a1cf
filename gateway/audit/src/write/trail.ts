import type { Db, Logger } from "@onecert/subgraph-kit";
import type { Scheduler } from "@onecert/subgraph-kit/scheduler";
import { existsSync, readdirSync } from "node:fs";
import type { AuditConfig } from "../config";
import type { AuditEntry } from "../record";
import type { ArchivedMonth } from "../store/retention";
import { loadSigningKey } from "../key-file";
import type { PublicKeyInfo } from "../signing";
import { KeyRotationUnsupportedError, type AuditKeySpec } from "./key-source";
import { openSpool, type Spool, type SpoolTarget } from "./spool";
import { createAuditStore, type AuditStore } from "../store/store";
import { openAuditWriter, openInlineWriter } from "./open-writer";
import type { AuditLocation } from "./writer";

/** The record of a request could not be made durable: the request fails with this (fail closed). */
export class AuditUnavailableError extends Error {
  readonly code = "AUDIT_UNAVAILABLE";
  constructor() {
    super("The audit trail cannot record this request, so it was not served; try again shortly.");
  }
}

/** One gateway process's writer of the audit trail, and the store behind the auditor API. */
export interface AuditTrail {
  readonly config: AuditConfig;
  /** Read access for the auditor API and verification (statements run in the writer thread). */
  readonly store: AuditStore;
  /** Resolves once the entry is durable: in the database, or (spool mode) in the local spool. */
  record(entry: AuditEntry): Promise<void>;
  /** Requests refused with AUDIT_UNAVAILABLE since start: each one a log line too. */
  refusedUnrecorded(): number;
  /** Signs the chain head if records were added since the last checkpoint. */
  checkpoint(): Promise<void>;
  /**
   * Makes a new key the active checkpoint key (AUDIT_SIGNING_KEY_STORE=database; every replica
   * takes it up by its next checkpoint). Refused with KEY_ROTATION_UNSUPPORTED for a key file.
   */
  rotateKey(): Promise<PublicKeyInfo>;
  /** Archives and drops the months past retention (also the scheduler's "audit-retention" job). */
  archive(): Promise<ArchivedMonth[]>;
  /** Moves spooled records into the database (also runs every 10 s in spool mode). */
  replaySpool(): Promise<number>;
  /** Writes what is pending, signs the head, stops the timers and the writer thread. */
  close(): Promise<void>;
}

export interface OpenAuditTrailOptions {
  /** The gateway's own database: the audit trail lives next to it unless configured elsewhere. */
  db?: Db;
  config: AuditConfig;
  logger: Logger;
  /**
   * Runs retention as the job "audit-retention": once per period across the replicas sharing
   * the scheduler's database. Default none: retention runs only when archive() is called.
   */
  scheduler?: Scheduler;
  /** The retention job's period. Default 86400000 ms (daily). */
  retentionPeriodMs?: number;
}

const SPOOL_REPLAY_MS = 10_000;
const RETENTION_MS = 86_400_000;

/**
 * Where the audit database is: AUDIT_DATABASE_URL; else AUDIT_PGLITE_DATA_DIR; else the
 * gateway's PostgreSQL (schema `audit`); else an embedded database of its own next to the
 * gateway's (its directory + "-audit"): an embedded database serves one thread, and the writer
 * thread needs its own. A gateway on an in-memory database audits into that one (dataDir null).
 */
export function auditLocation(config: AuditConfig, db?: Db): AuditLocation {
  if (config.databaseUrl) return { url: config.databaseUrl };
  if (config.pgliteDataDir) return { dataDir: config.pgliteDataDir };
  const location = db?.location;
  if (!location)
    throw new Error(
      "cannot tell where the gateway's database is: set AUDIT_DATABASE_URL or AUDIT_PGLITE_DATA_DIR",
    );
  if ("url" in location) return location;
  return { dataDir: location.dataDir ? `${location.dataDir}-audit` : null };
}

/**
 * Opens the audit trail: loads (in development creates) the signing key, starts the writer
 * thread (which migrates, signs a head left unsigned by a crash, and group-commits), replays
 * records a spool holds from an earlier run, starts the checkpoint and spool timers, and defines
 * the retention job on `scheduler`.
 */
export async function openAuditTrail(options: OpenAuditTrailOptions): Promise<AuditTrail> {
  const { config, logger } = options;
  const signingKey: AuditKeySpec =
    config.signingKeyStore === "database"
      ? {
          store: "database",
          suite: config.suite.name,
          secret: config.signingKeySecret,
          rotateAfterMs: config.rotateAfterDays * 86_400_000,
        }
      : {
          store: "file",
          pem: loadSigningKey(config.signingKeyFile, config.generateSigningKey, {
            suite: config.suite,
            secret: config.signingKeySecret,
          }).key.exportPem(),
        };
  const location = auditLocation(config, options.db);
  const init = {
    signingKey,
    replica: config.replica,
    archiveDir: config.archiveDir,
    checkpointEvery: config.checkpointEvery,
    batchMax: config.batchMax,
    batchWaitMs: config.batchWaitMs,
  };
  const writer =
    "dataDir" in location && location.dataDir === null && options.db
      ? await openInlineWriter(options.db, init)
      : await openAuditWriter({ ...init, location }, config.commitTimeoutMs, {
          logger,
          // Spooling, the gateway serves while the audit database is down, from the start on.
          startDown:
            config.failureMode === "spool" ? { driver: "url" in location ? "pg" : "pglite" } : undefined,
        });
  const store = createAuditStore(writer.db, { replica: config.replica });
  const target: SpoolTarget = {
    append: (entries) => writer.call("append", entries),
    knownIds: async (ids) => new Set(await writer.call<string[]>("knownIds", ids)),
  };
  let spool: Spool | null = null;
  try {
    const leftovers =
      existsSync(config.spoolDir) && readdirSync(config.spoolDir).some((name) => name.endsWith(".ndjson"));
    if (config.failureMode === "spool" || leftovers) {
      spool = await openSpool(config.spoolDir, {
        batchMax: config.batchMax,
        onCorrupt: (file, line) =>
          logger.error({ file, line }, "audit spool file is damaged; kept for repair"),
      });
      const replayed = await spool.replay(target).catch((error: unknown) => {
        // Spooling, a database that is not there yet is no reason not to start: the timer retries.
        if (config.failureMode !== "spool") throw error;
        logger.warn({ err: error }, "audit spool not replayed yet: the audit database is unreachable");
        return 0;
      });
      if (replayed > 0) logger.info({ replayed }, "audit records replayed from the spool");
      if (config.failureMode !== "spool") {
        await spool.close();
        spool = null;
      }
    }
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }

  let closed = false;
  let spoolWarned = false;
  let refused = 0;
  const archive = () =>
    writer.call<ArchivedMonth[]>("archive", {
      retentionDays: config.retentionDays,
      archiveDir: config.archiveDir,
      replica: config.replica,
    });
  let archiving: Promise<unknown> = Promise.resolve();
  // One replica archives per period; its failure is the job's outcome and the next period retries.
  options.scheduler?.define({
    name: "audit-retention",
    periodMs: options.retentionPeriodMs ?? RETENTION_MS,
    async run() {
      const done = archive();
      archiving = done.catch(() => undefined);
      const months = await done;
      if (months.length > 0) logger.info({ months }, "expired audit months archived and dropped");
      return months;
    },
  });
  // Checkpoints and spool replay stay on this replica's timers. A checkpoint signs the shared
  // chain head with this replica's key (its file, or the keyring's active key) and is a no-op once the head
  // is signed, so every replica running it costs nothing and bounds the unsigned window without
  // waiting for a lease to expire; the spool is this replica's local directory.
  const timers = [
    setInterval(() => {
      writer
        .call("checkpoint")
        .catch((error: unknown) => logger.warn({ err: error }, "audit checkpoint failed"));
    }, config.checkpointSeconds * 1000),
  ];
  if (spool) {
    const active = spool;
    timers.push(
      setInterval(() => {
        active.replay(target).then(
          (replayed) => replayed > 0 && logger.info({ replayed }, "audit records replayed from the spool"),
          (error: unknown) => logger.debug({ err: error }, "audit spool replay deferred"),
        );
      }, SPOOL_REPLAY_MS),
    );
  }
  for (const timer of timers) timer.unref();

  return {
    config,
    store,
    async record(entry) {
      if (closed) {
        refused += 1;
        throw new AuditUnavailableError();
      }
      try {
        await writer.record(entry);
        return;
      } catch (error) {
        if (!spool) {
          refused += 1;
          logger.error(
            { err: error, requestId: entry.requestId },
            "audit record not written; request refused",
          );
          throw new AuditUnavailableError();
        }
        if (!spoolWarned) logger.warn({ err: error }, "audit database unavailable; spooling records locally");
        spoolWarned = true;
      }
      try {
        await spool.append(entry);
      } catch (error) {
        refused += 1;
        logger.error({ err: error, requestId: entry.requestId }, "audit record neither written nor spooled");
        throw new AuditUnavailableError();
      }
    },
    refusedUnrecorded: () => refused,
    async checkpoint() {
      await writer.call("checkpoint");
    },
    async rotateKey() {
      if (config.signingKeyStore !== "database")
        throw new KeyRotationUnsupportedError(
          "the audit signing key is a file (AUDIT_SIGNING_KEY_STORE=file): rotate it by replacing AUDIT_SIGNING_KEY_FILE",
        );
      const key = await writer.call<PublicKeyInfo>("rotateKey");
      logger.info({ keyId: key.keyId }, "audit signing key rotated");
      return key;
    },
    archive,
    replaySpool: () => (spool ? spool.replay(target) : Promise.resolve(0)),
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await archiving;
      if (spool) {
        await spool
          .replay(target)
          .catch((error: unknown) => logger.warn({ err: error }, "audit spool kept for the next start"));
        await spool.close();
      }
      await writer
        .close()
        .catch((error: unknown) => logger.warn({ err: error }, "audit writer did not close cleanly"));
    },
  };
}
