import type { Db, Logger } from "@onecert/subgraph-kit";
import { connectRedis } from "@onecert/subgraph-kit";
import { DEFAULT_REGISTRY_CHANNEL } from "./config";
import { REGISTRY_PG_CHANNEL } from "./migrations";

/** How replicas hear of a new supergraph version; the store's polling covers whatever is lost. */
export interface VersionNotifier {
  readonly kind: "redis" | "postgres" | "none";
  /** Announces a committed version (PostgreSQL NOTIFY already went out with the commit). */
  announce(version: number): Promise<void>;
  /** Calls `handler` for every announced version from now on; resolves with the unsubscribe function. */
  subscribe(handler: (version: number) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface NotifierOptions {
  /** Redis pub/sub when set; otherwise PostgreSQL LISTEN/NOTIFY where the driver can. */
  redisUrl?: string;
  /** Redis channel. Default DEFAULT_REGISTRY_CHANNEL. */
  channel?: string;
  db: Db;
  logger: Logger;
}

const parse = (payload: string): number | null => {
  const version = Number(payload);
  return Number.isInteger(version) && version > 0 ? version : null;
};

/** Redis pub/sub when REDIS_URL is set, else LISTEN/NOTIFY on the gateway database, else none. */
export function createNotifier(options: NotifierOptions): VersionNotifier {
  if (options.redisUrl)
    return redisNotifier(options.redisUrl, options.channel ?? DEFAULT_REGISTRY_CHANNEL, options.logger);
  const { db } = options;
  if (!db.listen)
    return {
      kind: "none",
      announce: async () => undefined,
      subscribe: async () => async () => undefined,
      close: async () => undefined,
    };
  return {
    kind: "postgres",
    announce: async () => undefined,
    subscribe: (handler) =>
      db.listen!(REGISTRY_PG_CHANNEL, (payload) => {
        const version = parse(payload);
        if (version) handler(version);
      }),
    close: async () => undefined,
  };
}

function redisNotifier(url: string, channel: string, logger: Logger): VersionNotifier {
  const publisher = connectRedis(url, logger);
  const subscribers = new Set<ReturnType<typeof connectRedis>>();
  return {
    kind: "redis",
    async announce(version) {
      await publisher.publish(channel, String(version));
    },
    async subscribe(handler) {
      // A subscribed connection can do nothing else, hence one of its own; ioredis subscribes
      // again by itself after a reconnection.
      const subscriber = connectRedis(url, logger, { maxRetriesPerRequest: null });
      subscribers.add(subscriber);
      subscriber.on("message", (from: string, payload: string) => {
        const version = from === channel ? parse(payload) : null;
        if (version) handler(version);
      });
      try {
        await subscriber.connect();
        await subscriber.subscribe(channel);
      } catch (error) {
        logger.warn({ err: error }, "registry notifications unavailable; polling only until Redis is back");
      }
      // Registered after the first subscription so it only covers a first connection that failed.
      subscriber.on("ready", () => {
        subscriber.subscribe(channel).catch(() => undefined);
      });
      return async () => {
        subscribers.delete(subscriber);
        subscriber.disconnect();
      };
    },
    async close() {
      for (const subscriber of subscribers) subscriber.disconnect();
      subscribers.clear();
      publisher.disconnect();
    },
  };
}
