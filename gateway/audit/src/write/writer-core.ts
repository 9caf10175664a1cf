import type { Db } from "@onecert/subgraph-kit/db";
import { GroupCommitter } from "./group-commit";
import type { AuditEntry } from "../record";
import { archiveExpired, type RetentionOptions } from "../store/retention";
import { migrateAudit } from "../store/schema";
import { openAuditKeys } from "./key-source";
import { hashSuiteOf } from "../merkle";
import { archiveFileHashes, ArchiveUnusableError, buildArchivedTree } from "../store/archived-tree";
import { createAuditStore } from "../store/store";
import type { WriterInit } from "./writer";

/** The audit writer proper, wherever it runs (its own thread, or inline on an in-memory database). */
export interface WriterCore {
  /** Resolves once the entry's group commit succeeded. */
  record(entry: AuditEntry): Promise<void>;
  /** The operations the request thread may ask for, by name. */
  calls: Record<string, (...args: never[]) => Promise<unknown>>;
}

/**
 * Migrates the audit schema on `db`, signs a head left unsigned (by a crash), creates this and
 * next month's partitions, and group-commits entries into the chain.
 */
export async function openWriterCore(
  db: Db,
  init: Omit<WriterInit, "location">,
  closeDb: boolean,
): Promise<WriterCore> {
  await migrateAudit(db);
  // The key's suite is the deployment's (loadSigningKey checked a file's against CRYPTO_SUITE).
  const keys = await openAuditKeys(db, init.signingKey);
  const store = createAuditStore(db, {
    key: () => keys.current(),
    replica: init.replica,
    checkpointEvery: init.checkpointEvery,
  });
  // A suite switched to after retention needs its tree over the archived months first; once built
  // (or found unusable, reported once, retried at the next start) it is not looked at again.
  let archivedTree: "pending" | "done" = init.archiveDir ? "pending" : "done";
  const buildArchived = async (): Promise<Error | null> => {
    if (archivedTree === "done") return null;
    try {
      const suite = hashSuiteOf(keys.current().suite);
      await buildArchivedTree(db, suite, archiveFileHashes(init.archiveDir!));
      archivedTree = "done";
      return null;
    } catch (error) {
      if (!(error instanceof ArchiveUnusableError)) throw error;
      archivedTree = "done";
      return error;
    }
  };
  // Each timed checkpoint first takes up a key rotated (by age, or by another replica) meanwhile.
  const checkpoint = async () => {
    await keys.refresh();
    const unusable = await buildArchived();
    const signed = await store.checkpoint();
    if (unusable)
      throw new Error(`the chain is signed, but no tree head of the new suite can be: ${unusable.message}`);
    return signed;
  };
  const today = new Date();
  await store.preparePartitions([
    today,
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)),
  ]);
  await store.checkpoint();
  const committer = new GroupCommitter<AuditEntry>((entries) => store.append(entries), {
    batchMax: init.batchMax,
    batchWaitMs: init.batchWaitMs,
  });
  return {
    record: (entry) => committer.commit(entry),
    calls: {
      query: (sql: string, params: unknown[]) => db.query(sql, params),
      exec: (sql: string) => db.exec(sql),
      checkpoint,
      rotateKey: () => keys.rotate(),
      knownIds: async (ids: string[]) => [...(await store.knownIds(ids))],
      append: async (entries: AuditEntry[]) => (await store.append(entries)).length,
      archive: (options: RetentionOptions) => archiveExpired(store, options),
      close: async () => {
        await committer.flush();
        await store.checkpoint().catch(() => undefined);
        if (closeDb) await db.close();
      },
    },
  };
}
