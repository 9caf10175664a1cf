import type { InvalidationEvent } from "./types";

/** One stream entry as Redis returns it: its id and its field/value list. */
export type Entry = [id: string, fields: string[]];

/** XREAD's entries whatever the reply shape: RESP2 [[key, entries]] or RESP3-legacy [key, entries]. */
export function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (typeof reply[0] === "string") return (reply[1] as Entry[]) ?? [];
  return (reply as [string, Entry[]][]).flatMap(([, entries]) => entries);
}

/** An event read from the stream, or null when it does not have the contract's shape. */
export function parseEvent(json: string | undefined): InvalidationEvent | null {
  try {
    const value = JSON.parse(json ?? "") as Partial<InvalidationEvent>;
    const ok =
      typeof value.id === "string" &&
      typeof value.source === "string" &&
      typeof value.type === "string" &&
      (value.key === null || typeof value.key === "string") &&
      Array.isArray(value.tags) &&
      value.tags.every((tag) => typeof tag === "string") &&
      typeof value.at === "string";
    return ok ? (value as InvalidationEvent) : null;
  } catch {
    return null;
  }
}

/** Settles like `promise`, or rejects after `ms`; a late rejection of `promise` is absorbed. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
