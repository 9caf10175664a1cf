import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger";
import { settledWithin } from "../settle";
import { entriesOf, parseEvent, type Entry } from "./codec";
import { entriesAdded, everythingStale, serverRunId, streamTrimmed } from "./stream-gap";
import { INVALIDATION_CHANNEL, type InvalidationBus, type InvalidationEvent } from "./types";

/** Entries read per XREAD; a full page means the reader is behind. */
const PAGE = 100;

type Handler = (event: InvalidationEvent) => void;

export interface RedisBusOptions {
  /** redis:// URL. */
  url: string;
  /** Key of the Redis stream the events travel on; tests use a prefix of their own. Default INVALIDATION_CHANNEL. */
  channel?: string;
  logger: Logger;
  /** Events the stream keeps for subscribers catching up after a disconnect (approximate). Default 100,000. */
  maxLength?: number;
  /** Longest wait for Redis to accept one event before `publish` rejects. Default 2000 ms. */
  publishTimeoutMs?: number;
  /** How long one blocking read waits for new events before it is sent again. Default 5000 ms. */
  blockMs?: number;
  /** Extra ioredis options for both connections, e.g. a faster retryStrategy in tests. Default none. */
  redisOptions?: RedisOptions;
}

/**
 * Invalidation events between processes over a Redis stream (XADD / XREAD), not plain pub/sub:
 * a subscriber that loses its connection resumes after the last event it saw, so nothing
 * published during a reconnect is missed. Publishing and reading use separate connections,
 * since a blocking read occupies its connection. Both reconnect on their own. What cannot be
 * resumed is reported instead: after an outage, or when it is a page behind, the reader checks
 * whether entries it never read were trimmed (the stream's oldest entry is newer than the last
 * one read) or Redis restarted (its run id), and then hands its handlers one EVERYTHING event.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly channel: string;
  private readonly publisher: Redis;
  private reader: Redis | undefined;
  private readonly handlers = new Set<Handler>();
  private started: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private lastId = "$";
  private runId: string | undefined;
  // Set when the reader's connection came back: XREAD is then resent, and what it returns may
  // follow a gap, so the gap is checked before those entries are handed on.
  private reconnected = false;
  // The stream's entries-added when reading started, for a reader that has read nothing yet.
  private addedAtStart = 0;
  private closed = false;
  // Settles on close: a read waiting in the offline queue of a reconnecting client never would.
  private readonly closing: Promise<null>;
  private signalClosed: () => void = () => undefined;

  constructor(private readonly options: RedisBusOptions) {
    this.channel = options.channel ?? INVALIDATION_CHANNEL;
    this.closing = new Promise((resolve) => (this.signalClosed = () => resolve(null)));
    this.publisher = this.connection("publisher", {
      maxRetriesPerRequest: 1,
      commandTimeout: options.publishTimeoutMs ?? 2000,
    });
  }

  async publish(event: InvalidationEvent): Promise<void> {
    if (this.closed) throw new Error("invalidation bus is closed");
    const maxLength = String(this.options.maxLength ?? 100_000);
    await this.publisher.call(
      "XADD",
      this.channel,
      "MAXLEN",
      "~",
      maxLength,
      "*",
      "event",
      JSON.stringify(event),
    );
  }

  async subscribe(handler: Handler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("invalidation bus is closed");
    const subscription: Handler = (event) => handler(event);
    this.handlers.add(subscription);
    await (this.started ??= this.startReading());
    return async () => void this.handlers.delete(subscription);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.handlers.clear();
    await this.started?.catch(() => undefined);
    this.reader?.disconnect();
    this.publisher.disconnect();
    await this.loop;
  }

  private async startReading(): Promise<void> {
    // Waits through outages: a read is retried until Redis answers or the bus closes.
    const reader = this.connection("subscriber", { maxRetriesPerRequest: null });
    let readyBefore = false;
    reader.on("ready", () => {
      if (readyBefore) this.reconnected = true;
      readyBefore = true;
    });
    this.reader = reader;
    this.lastId = await this.newestId(reader);
    const timeout = this.options.publishTimeoutMs ?? 2000;
    this.runId = await settledWithin(serverRunId(reader), timeout).catch(() => undefined);
    this.addedAtStart = await settledWithin(entriesAdded(reader, this.channel), timeout).catch(() => 0);
    this.loop = this.read(reader);
  }

  private connection(role: string, options: RedisOptions): Redis {
    const log = this.options.logger.child({ bus: role, channel: this.channel });
    const redis = new Redis(this.options.url, {
      connectTimeout: 2000,
      replyMapping: "legacy",
      ...options,
      ...this.options.redisOptions,
    });
    // One warning per outage; ioredis emits "error" on every failed reconnection attempt.
    let down = false;
    redis.on("error", (error: Error) => {
      if (!down) log.warn({ err: error }, "invalidation bus: redis unavailable");
      down = true;
    });
    redis.on("ready", () => {
      if (down) log.info("invalidation bus: redis available again");
      down = false;
    });
    return redis;
  }

  /** The id after which "from now on" starts; the local clock when Redis does not answer in time. */
  private async newestId(reader: Redis): Promise<string> {
    const timeout = this.options.publishTimeoutMs ?? 2000;
    try {
      const newest = (await settledWithin(
        reader.call("XREVRANGE", this.channel, "+", "-", "COUNT", "1"),
        timeout,
      )) as Entry[] | null;
      return newest?.[0]?.[0] ?? "0-0";
    } catch (error) {
      this.options.logger.warn({ err: error }, "invalidation bus: subscribing while redis is unavailable");
      return `${Date.now()}-0`;
    }
  }

  private async read(reader: Redis): Promise<void> {
    const block = String(this.options.blockMs ?? 5000);
    let check = false;
    while (!this.closed) {
      try {
        const read = reader.call(
          "XREAD",
          "COUNT",
          String(PAGE),
          "BLOCK",
          block,
          "STREAMS",
          this.channel,
          this.lastId,
        );
        read.catch(() => undefined);
        const entries = entriesOf(await Promise.race([read, this.closing]));
        if (check || this.reconnected) {
          this.reconnected = false;
          await Promise.race([this.detectGap(reader), this.closing]);
        }
        for (const [id, fields] of entries) {
          this.lastId = id;
          this.dispatch(id, fields);
        }
        check = entries.length === PAGE;
      } catch (error) {
        if (this.closed) return;
        check = true;
        this.options.logger.debug({ err: error }, "invalidation bus: read failed; retrying");
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), this.closing]);
      }
    }
  }

  /** Hands the handlers an EVERYTHING event when events after the last one read may be lost. */
  private async detectGap(reader: Redis): Promise<void> {
    const runId = await serverRunId(reader);
    const restarted = this.runId !== undefined && runId !== undefined && runId !== this.runId;
    this.runId = runId ?? this.runId;
    const trimmed = !restarted && (await streamTrimmed(reader, this.channel, this.lastId, this.addedAtStart));
    if (!restarted && !trimmed) return;
    this.options.logger.warn(
      { lastRead: this.lastId, reason: restarted ? "redis restarted" : "stream trimmed" },
      "invalidation bus: events may have been missed; everything cached is treated as stale",
    );
    this.deliver(everythingStale(this.channel, this.lastId));
  }

  private dispatch(id: string, fields: string[]): void {
    const event = parseEvent(fields[fields.indexOf("event") + 1]);
    if (!event) {
      this.options.logger.warn({ entry: id }, "invalidation bus: skipping a malformed event");
      return;
    }
    this.deliver(event);
  }

  private deliver(event: InvalidationEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(structuredClone(event));
      } catch (error) {
        this.options.logger.error({ err: error, event: event.id }, "invalidation handler failed");
      }
    }
  }
}
