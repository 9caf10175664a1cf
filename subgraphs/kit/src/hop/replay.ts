import type { Redis } from "ioredis";
import { redisKey } from "../redis";
import { settledWithin } from "../settle";

/** Remembers assertion ids until they expire: a second use of one is a replay. */
export interface ReplayGuard {
  /** True the first time `id` is seen before `expiresAt`, false for a replay. */
  first(id: string, expiresAt: Date): Promise<boolean>;
  close(): Promise<void>;
}

/** One process's memory: what a subgraph without Redis keeps. */
export function memoryReplayGuard(now: () => number = Date.now): ReplayGuard {
  const seen = new Map<string, number>();
  let sweep = 0;
  return {
    async first(id, expiresAt) {
      const at = now();
      if (at > sweep) {
        for (const [known, until] of seen) if (until <= at) seen.delete(known);
        sweep = at + 10_000;
      }
      if ((seen.get(id) ?? 0) > at) return false;
      seen.set(id, expiresAt.getTime());
      return true;
    },
    async close() {
      seen.clear();
    },
  };
}

/**
 * Shared by every replica of a subgraph through Redis (SET NX with the assertion's remaining
 * life), so an assertion replayed to another replica is refused too. If Redis does not answer
 * within `timeoutMs` (default 200), the id is checked in this process instead and
 * `onDegraded` told: an outage of the cache must not stop the registry, and a replay then has
 * to reach the same replica to pass.
 */
export function redisReplayGuard(options: {
  redis: Redis;
  /** Whose ids these are (the subgraph's name), for the key. */
  audience: string;
  timeoutMs?: number;
  onDegraded?: (error: unknown) => void;
}): ReplayGuard {
  const local = memoryReplayGuard();
  return {
    async first(id, expiresAt) {
      const ttl = Math.max(1, expiresAt.getTime() - Date.now());
      try {
        const set = options.redis.set(redisKey("hop", options.audience, id), "1", "PX", ttl, "NX");
        return (await settledWithin(set, options.timeoutMs ?? 200)) === "OK";
      } catch (error) {
        options.onDegraded?.(error);
        return local.first(id, expiresAt);
      }
    },
    async close() {
      await local.close();
    },
  };
}
