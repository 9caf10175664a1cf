import type { Db, Logger } from "@onecert/subgraph-kit";
import type { AuditWriter } from "./writer";

/** How a dead audit writer thread is brought back. */
export interface SuperviseOptions {
  /** Hears of the thread's death and of each restart. Default none. */
  logger?: Pick<Logger, "error" | "info" | "warn">;
  /** Wait before the first restart, ms; doubles after each failed start. Default 500. */
  firstDelayMs?: number;
  /** Longest wait between restarts, ms. Default 30000. */
  maxDelayMs?: number;
  /**
   * Start down rather than fail when the first start fails (spool mode: the gateway serves and
   * spools while the audit database is unreachable), retrying as after a death. The database
   * driver is then named here, for the read handle's shape. Default: the first failure is thrown.
   */
  startDown?: { driver: Db["driver"] };
}

/** Starts a writer and reports its later death through `onDeath`. */
export type StartWriter = (onDeath: (error: Error) => void) => Promise<AuditWriter>;

/**
 * A writer that outlives its thread: when the thread dies (an out-of-memory error, a native
 * crash of the embedded database), requests fail closed (or spool) while a new thread starts
 * after a short, growing delay; the new thread signs the head the dead one left unsigned, as it
 * does after any crash, and takes new records. The first start's failure is the caller's, unless
 * `startDown` says to begin down.
 */
export async function superviseWriter(
  start: StartWriter,
  options: SuperviseOptions = {},
): Promise<AuditWriter> {
  const firstDelay = options.firstDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const log = options.logger;
  let current: AuditWriter | null = null;
  let down: Error = new Error("the audit writer thread is starting");
  let delay = firstDelay;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const restart = () => {
    timer = setTimeout(() => {
      start(onDeath).then(
        (writer) => {
          if (closed) return void writer.close();
          current = writer;
          delay = firstDelay;
          log?.info("audit writer thread restarted");
        },
        (error: unknown) => {
          down = error as Error;
          delay = Math.min(delay * 2, maxDelay);
          log?.warn({ err: error, retryInMs: delay }, "audit writer thread did not restart; retrying");
          if (!closed) restart();
        },
      );
    }, delay);
    timer.unref();
  };
  function onDeath(error: Error): void {
    current = null;
    down = new Error(`${error.message}; restarting`);
    if (closed) return;
    log?.error({ err: error }, "audit writer thread stopped; requests fail closed until it restarts");
    restart();
  }

  try {
    current = await start(onDeath);
  } catch (error) {
    if (!options.startDown) throw error;
    down = new Error(`the audit database is unreachable (${(error as Error).message}); retrying`);
    log?.warn({ err: error, retryInMs: delay }, "audit writer did not start: spooling until it does");
    restart();
  }
  const live = (): AuditWriter => {
    if (!current) throw down;
    return current;
  };
  const shape: Db = current?.db ?? {
    driver: options.startDown!.driver,
    query: () => Promise.reject(down),
    exec: () => Promise.reject(down),
    transaction: () => Promise.reject(down),
    onStatement: () => () => undefined,
    close: () => Promise.resolve(),
  };
  const db: Db = {
    ...shape,
    query: <T>(sql: string, params?: readonly unknown[]) => live().db.query<T>(sql, params),
    exec: (sql) => live().db.exec(sql),
  };
  return {
    db,
    async record(entry) {
      return live().record(entry);
    },
    async call<T>(method: string, ...args: unknown[]) {
      return live().call<T>(method, ...args);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await current?.close();
      current = null;
    },
  };
}
