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

/** Orders two stream ids ("<ms>-<seq>"): negative when `a` comes first, 0 when equal. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split("-").map(BigInt) as [bigint, bigint?];
  const [bMs, bSeq] = b.split("-").map(BigInt) as [bigint, bigint?];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  const [x, y] = [aSeq ?? 0n, bSeq ?? 0n];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A field of a flat key/value reply (XINFO STREAM, RESP2): ["length", 3, "first-entry", [...], ...]. */
export function fieldOf(reply: unknown, name: string): unknown {
  if (!Array.isArray(reply)) return undefined;
  for (let index = 0; index + 1 < reply.length; index += 2)
    if (reply[index] === name) return reply[index + 1];
  return undefined;
}
