import { parentPort, workerData } from "node:worker_threads";
import { openDb, type Db } from "@onecert/subgraph-kit/db";
import type { AuditEntry } from "../record";
import type { WriterInit, WriterReply, WriterRequest } from "./writer";
import { openWriterCore } from "./writer-core";

/**
 * The audit writer thread: it owns the audit database handle (a PostgreSQL pool, or an embedded
 * PGlite instance of its own), so that chaining, signing and inserting never hold up the thread
 * that serves requests; it acknowledges each entry once its group commit succeeded.
 */
async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WriterInit;
  const post = (reply: WriterReply) => port.postMessage(reply);
  let db: Db | undefined;
  try {
    const location = init.location;
    db = openDb(
      "url" in location
        ? { url: location.url, maxConnections: 3 }
        : { dataDir: location.dataDir ?? undefined },
    );
    const core = await openWriterCore(db, init, true);
    // Acknowledgements of one turn of the event loop travel in one message.
    let done: string[] = [];
    let failed: { id: string; message: string }[] = [];
    const flush = () => {
      if (done.length) post({ t: "ack", ids: done });
      for (const failure of failed) post({ t: "nack", ...failure });
      done = [];
      failed = [];
    };
    const settle = () => {
      if (done.length + failed.length === 1) setImmediate(flush);
    };
    port.on("message", (message: WriterRequest) => {
      if (message.t === "rec") {
        const entry = JSON.parse(message.entry) as AuditEntry;
        core.record(entry).then(
          () => {
            done.push(entry.id);
            settle();
          },
          (error: unknown) => {
            failed.push({ id: entry.id, message: (error as Error).message });
            settle();
          },
        );
        return;
      }
      const call = core.calls[message.method];
      if (!call) return post({ t: "res", id: message.id, error: `unknown call ${message.method}` });
      call(...(message.args as never[])).then(
        (value) => post({ t: "res", id: message.id, value }),
        (error: unknown) => post({ t: "res", id: message.id, error: (error as Error).message }),
      );
    });
    post({ t: "ready" });
  } catch (error) {
    await db?.close().catch(() => undefined);
    post({ t: "failed", error: (error as Error).message });
  }
}

void main();
