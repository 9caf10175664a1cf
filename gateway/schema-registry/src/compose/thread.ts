import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { ComposableSubgraph, Composed } from "./compose";

// Composing a supergraph takes from tens of milliseconds to seconds of CPU: done on the serving
// thread, a publish under load would hold every request in flight (and their audit commits) that
// long. One thread per process, started on first use and kept; a thread that dies fails what it
// was composing and is started again for the next proposal.

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve(result: Composed): void; reject(error: Error): void }>();

function thread(): Worker {
  if (worker) return worker;
  const fromSources = __filename.endsWith(".ts");
  const started = new Worker(resolve(__dirname, fromSources ? "worker.cjs" : "worker.js"), {
    execArgv: fromSources ? [...process.execArgv, "--conditions=source"] : undefined,
  });
  started.on("message", (message: { id: number; result?: Composed; failure?: string }) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (pending.size === 0) started.unref();
    if (message.result) waiting?.resolve(message.result);
    else waiting?.reject(new Error(`composition failed: ${message.failure ?? "no result"}`));
  });
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(error);
    }
  };
  started.on("error", fail);
  started.on("exit", (code) => fail(new Error(`the composition thread exited with code ${code}`)));
  started.unref();
  worker = started;
  return started;
}

/** Composes in the composition thread, off the thread that serves requests. */
export function composeOffThread(subgraphs: readonly ComposableSubgraph[]): Promise<Composed> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const target = thread();
    // Held while something is being composed, so the process waits for the answer.
    target.ref();
    target.postMessage({ id, subgraphs: [...subgraphs] });
  });
}
