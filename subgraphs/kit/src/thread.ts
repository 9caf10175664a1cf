import { resolve } from "node:path";
import { parentPort, Worker } from "node:worker_threads";

// CPU-heavy pure work (composing a supergraph, checking a catalogue against it) in a thread of
// its own, so the thread that serves requests never stalls on it: one thread per function and
// process, started on first use and kept (unreferenced while idle); a thread that dies fails
// the calls it had and is started again on the next one.

/**
 * The caller side: `dir` is the caller's `__dirname`, `name` the worker module's base name there
 * (it must call `serveFunction`). From the TypeScript sources (tests, `npm run dev`) the thread
 * runs `<name>.cjs`, which loads `<name>.ts` through tsx; compiled, it runs `<name>.js`.
 */
export function functionThread<Args extends unknown[], Result>(
  dir: string,
  name: string,
  fromSources: boolean,
): (...args: Args) => Promise<Result> {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve(result: Result): void; reject(error: Error): void }>();
  const start = (): Worker => {
    const started = new Worker(resolve(dir, `${name}.${fromSources ? "cjs" : "js"}`), {
      execArgv: fromSources ? [...process.execArgv, "--conditions=source"] : undefined,
    });
    started.on("message", (message: { id: number; result?: Result; failure?: string }) => {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (pending.size === 0) started.unref();
      if ("result" in message) waiting?.resolve(message.result as Result);
      else waiting?.reject(new Error(message.failure ?? "the thread gave no answer"));
    });
    const fail = (error: Error) => {
      if (worker === started) worker = null;
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(error);
      }
    };
    started.on("error", fail);
    started.on("exit", (code) => fail(new Error(`the ${name} thread exited with code ${code}`)));
    started.unref();
    return started;
  };
  return (...args) =>
    new Promise((resolvePromise, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolvePromise, reject });
      worker ??= start();
      // Held while it works, so the process waits for the answer.
      worker.ref();
      worker.postMessage({ id, args });
    });
}

/** The worker side: answers each call with `fn`'s result, or its error's message. */
export function serveFunction<Args extends unknown[], Result>(
  fn: (...args: Args) => Result | Promise<Result>,
): void {
  parentPort!.on("message", ({ id, args }: { id: number; args: Args }) => {
    Promise.resolve()
      .then(() => fn(...args))
      .then(
        (result) => parentPort!.postMessage({ id, result }),
        (error: unknown) =>
          parentPort!.postMessage({ id, failure: error instanceof Error ? error.message : String(error) }),
      );
  });
}
