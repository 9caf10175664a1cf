import type { Redis } from "ioredis";
import { compareStreamIds, fieldOf, type Entry } from "./codec";
import { EVERYTHING, type InvalidationEvent } from "./types";

/** Redis's run id, which changes when the server restarts (and forgets a stream it did not persist). */
export async function serverRunId(redis: Redis): Promise<string | undefined> {
  const info = String(await redis.call("INFO", "server"));
  return /run_id:(\w+)/.exec(info)?.[1];
}

/** How many entries a stream has taken in all (Redis 7), 0 when it does not exist or does not say. */
export async function entriesAdded(redis: Redis, stream: string): Promise<number> {
  const info = await redis.call("XINFO", "STREAM", stream).catch(() => null);
  return Number(fieldOf(info, "entries-added") ?? 0);
}

/**
 * Whether entries after `lastId` were trimmed before they were read: the oldest entry held is
 * newer than the last one read; or, for a reader that has read nothing yet ("0-0"), more entries
 * were added since `addedAtStart` than the stream still holds.
 */
export async function streamTrimmed(
  redis: Redis,
  stream: string,
  lastId: string,
  addedAtStart: number,
): Promise<boolean> {
  if (lastId === "$") return false;
  const info = await redis.call("XINFO", "STREAM", stream).catch(() => null);
  if (lastId === "0-0") {
    const added = fieldOf(info, "entries-added");
    const length = fieldOf(info, "length");
    return typeof added === "number" && typeof length === "number" && added - addedAtStart > length;
  }
  const first = (fieldOf(info, "first-entry") as Entry | null | undefined)?.[0];
  return first !== undefined && compareStreamIds(first, lastId) > 0;
}

/** The event a subscriber hands its own handlers when it may have missed events. */
export const everythingStale = (channel: string, lastId: string): InvalidationEvent => ({
  id: `gap:${channel}:${lastId}:${Date.now()}`,
  source: EVERYTHING,
  type: EVERYTHING,
  key: null,
  tags: [],
  at: new Date().toISOString(),
});
