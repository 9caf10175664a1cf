import type { Logger } from "../logger";
import { memoryBus } from "./memory";
import { RedisInvalidationBus } from "./redis";
import type { InvalidationBus } from "./types";

export * from "./types";
export { MemoryInvalidationBus, memoryBus, type MemoryBusOptions } from "./memory";
export { RedisInvalidationBus, type RedisBusOptions } from "./redis";
export { parseEvent } from "./codec";
export {
  applyChange,
  outboxMigration,
  recordChange,
  type AnnouncedChange,
  type Change,
  type ChangeEvent,
} from "./outbox";
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./relay";

export interface InvalidationBusConfig {
  /** Redis between processes when set; unset: the process-wide memory bus. */
  redisUrl?: string;
  /** Redis stream key or memory channel. Default INVALIDATION_CHANNEL. */
  channel?: string;
  logger: Logger;
}

/** The Redis bus when `redisUrl` is set (connecting at once), else a handle on the memory bus. */
export function createInvalidationBus({ redisUrl, channel, logger }: InvalidationBusConfig): InvalidationBus {
  if (redisUrl) return new RedisInvalidationBus({ url: redisUrl, channel, logger });
  return memoryBus({ channel, logger });
}
