/**
 * Settles like `promise`, or rejects when it has not settled `ms` after the call. The rejection
 * waits for the I/O phase after the timer: when the event loop was busy (a long synchronous task),
 * a reply that arrived meanwhile is read first, so a stall of this process is not taken for a slow
 * Redis. A late rejection of `promise` is absorbed.
 */
export function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${ms} ms`))), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
