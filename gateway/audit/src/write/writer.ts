import type { Db } from "@onecert/subgraph-kit";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { AuditEntry } from "../record";
import type { AuditKeySpec } from "./key-source";

/** What the writer thread opens: a PostgreSQL URL, or an embedded data directory (null: memory). */
export type AuditLocation = { url: string } | { dataDir: string | null };

/** The writer thread's settings (its workerData). */
export interface WriterInit {
  location: AuditLocation;
  /** The checkpoint signing key: its PEM, or the keyring it is kept in. */
  signingKey: AuditKeySpec;
  replica: string;
  /** Where archived months are (AUDIT_ARCHIVE_DIR): read back when a switched suite needs their hashes. */
  archiveDir?: string;
  checkpointEvery: number;
  batchMax: number;
  batchWaitMs: number;
}

export type WriterRequest =
  /** One entry as JSON: a string crosses threads far cheaper than a cloned object. */
  { t: "rec"; entry: string } | { t: "call"; id: number; method: string; args: unknown[] };

export type WriterReply =
  | { t: "ready" }
  | { t: "failed"; error: string }
  | { t: "ack"; ids: string[] }
  | { t: "nack"; id: string; message: string }
  | { t: "res"; id: number; value?: unknown; error?: string };

/** The request thread's side of the audit writer thread. */
export interface AuditWriter {
  /** Resolves once the entry's transaction committed; rejects when it failed or took over the timeout. */
  record(entry: AuditEntry): Promise<void>;
  /** Calls a store operation in the writer thread (query, exec, checkpoint, knownIds, append, archive). */
  call<T>(method: string, ...args: unknown[]): Promise<T>;
  /** The audit database as a read handle (statements run in the writer thread; no transactions). */
  readonly db: Db;
  /** Writes what is pending, signs the head, closes the database and ends the thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  sentAt: number;
}

/** A writer thread as started: an AuditWriter that can also be ended at once. */
export interface ThreadWriter extends AuditWriter {
  /** Ends the thread at once, without flushing: what a crash does (tests, a stuck thread). */
  terminate(): Promise<void>;
}

/**
 * Starts a writer thread and resolves once its database is migrated and ready. Each entry is
 * posted as it comes; a sweep once a second fails entries that waited longer than
 * `commitTimeoutMs` (one timer for all of them instead of one per request).
 * `onDeath` hears of a thread that stopped after it was ready, other than by close().
 */
export function startAuditWriter(
  init: WriterInit,
  commitTimeoutMs: number,
  onDeath?: (error: Error) => void,
): Promise<ThreadWriter> {
  // Compiled, the thread runs worker.js; from the TypeScript sources (tests, `npm run dev`) it
  // goes through worker.cjs, which loads the sources with tsx.
  const fromSources = __filename.endsWith(".ts");
  const worker = new Worker(resolve(__dirname, fromSources ? "worker.cjs" : "worker.js"), {
    workerData: init,
    // The workspace packages' "source" export: the thread imports TypeScript, never a stale dist/.
    execArgv: fromSources ? [...process.execArgv, "--conditions=source"] : undefined,
  });
  const pending = new Map<string, Pending>();
  const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextCall = 0;
  let dead: Error | null = null;
  let started = false;
  let closing = false;

  const failAll = (error: Error) => {
    dead ??= error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    for (const waiting of calls.values()) waiting.reject(error);
    calls.clear();
  };
  const sweep = setInterval(() => {
    const limit = Date.now() - commitTimeoutMs;
    for (const [id, waiting] of pending) {
      if (waiting.sentAt > limit) continue;
      pending.delete(id);
      waiting.reject(new Error(`audit commit took over ${commitTimeoutMs} ms`));
    }
  }, 1000);
  sweep.unref();

  const call = <T>(method: string, ...args: unknown[]): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextCall++;
    return new Promise<T>((done, fail) => {
      calls.set(id, { resolve: done, reject: fail });
      worker.postMessage({ t: "call", id, method, args } satisfies WriterRequest);
    });
  };

  const db: Db = {
    driver: "url" in init.location ? "pg" : "pglite",
    location: init.location,
    query: <T>(sql: string, params: readonly unknown[] = []) => call<T[]>("query", sql, params),
    exec: (sql: string) => call<void>("exec", sql),
    transaction: () => Promise.reject(new Error("audit transactions run in the writer thread")),
    onStatement: () => () => undefined,
    close: () => Promise.resolve(),
  };

  return new Promise((ready, refused) => {
    worker.on("message", (reply: WriterReply) => {
      switch (reply.t) {
        case "ready":
          started = true;
          return ready(writer);
        case "failed":
          clearInterval(sweep);
          void worker.terminate();
          return refused(new Error(`the audit database could not be opened: ${reply.error}`));
        case "ack":
          for (const id of reply.ids) {
            pending.get(id)?.resolve();
            pending.delete(id);
          }
          return;
        case "nack":
          pending.get(reply.id)?.reject(new Error(reply.message));
          pending.delete(reply.id);
          return;
        case "res": {
          const waiting = calls.get(reply.id);
          calls.delete(reply.id);
          if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
          else waiting?.resolve(reply.value);
        }
      }
    });
    worker.on("error", (error) => {
      failAll(error);
      refused(error);
    });
    worker.on("exit", (code) => {
      clearInterval(sweep);
      const error = new Error(`the audit writer thread stopped (exit code ${code})`);
      failAll(error);
      if (started && !closing) onDeath?.(error);
    });

    const writer: ThreadWriter = {
      db,
      call,
      record(entry) {
        if (dead) return Promise.reject(dead);
        return new Promise<void>((resolve, reject) => {
          pending.set(entry.id, { resolve, reject, sentAt: Date.now() });
          // Posted at once rather than gathered per event-loop turn: a busy turn can last many
          // milliseconds, and the writer thread gathers records into commits itself.
          worker.postMessage({ t: "rec", entry: JSON.stringify(entry) } satisfies WriterRequest);
        });
      },
      async close() {
        if (dead) return;
        await call("close");
        closing = true;
        clearInterval(sweep);
        await worker.terminate();
      },
      async terminate() {
        await worker.terminate();
      },
    };
  });
}
