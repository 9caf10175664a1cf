import type { Db } from "@onecert/subgraph-kit";
import { superviseWriter, type SuperviseOptions } from "./supervise";
import { startAuditWriter, type AuditWriter, type WriterInit } from "./writer";
import { openWriterCore } from "./writer-core";

/**
 * The writer inline, on the gateway's own in-memory database (tests, trials): nothing there
 * outlives the process, and a second embedded instance would cost more than the work it moves.
 */
export async function openInlineWriter(db: Db, init: Omit<WriterInit, "location">): Promise<AuditWriter> {
  const core = await openWriterCore(db, init, false);
  const call = <T>(method: string, ...args: unknown[]): Promise<T> => {
    const fn = core.calls[method];
    return fn
      ? (fn(...(args as never[])) as Promise<T>)
      : Promise.reject(new Error(`unknown call ${method}`));
  };
  return { db, call, record: (entry) => core.record(entry), close: () => call("close") };
}

// Writers of embedded directories, by directory: two gateways of one process share one thread,
// since an embedded database can be opened only once.
const shared = new Map<string, { writer: Promise<AuditWriter>; users: number }>();

/**
 * The writer thread for `init.location`, restarted when it dies (superviseWriter): a new one, or
 * for an embedded directory the one this process already runs (the first opener's key and
 * settings apply). Closing a shared writer closes the thread with its last user.
 */
export async function openAuditWriter(
  init: WriterInit,
  commitTimeoutMs: number,
  supervision: SuperviseOptions = {},
): Promise<AuditWriter> {
  const start = () =>
    superviseWriter((onDeath) => startAuditWriter(init, commitTimeoutMs, onDeath), supervision);
  const dir = "dataDir" in init.location ? init.location.dataDir : null;
  if (dir === null) return start();
  let entry = shared.get(dir);
  if (!entry) {
    entry = { writer: start(), users: 0 };
    shared.set(dir, entry);
    entry.writer.catch(() => shared.delete(dir));
  }
  entry.users += 1;
  const writer = await entry.writer;
  const user = entry;
  let closed = false;
  return {
    ...writer,
    async close() {
      if (closed) return;
      closed = true;
      user.users -= 1;
      if (user.users > 0) return;
      shared.delete(dir);
      await writer.close();
    },
  };
}
