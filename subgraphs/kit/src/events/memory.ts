import type { Logger } from "../logger";
import { INVALIDATION_CHANNEL, type InvalidationBus, type InvalidationEvent } from "./types";

type Handler = (event: InvalidationEvent) => void;

// Subscribers per channel for the whole process, so that every memoryBus() handle meets the others.
const hubs = new Map<string, Set<Handler>>();

export interface MemoryBusOptions {
  /** Handles on the same channel see each other's events. Default INVALIDATION_CHANNEL. */
  channel?: string;
  /** Where a failing handler is reported. Default: nowhere. */
  logger?: Logger;
}

/**
 * Invalidation events within one process: what `onecert start` and the tests use when no Redis
 * is configured. Handlers run after `publish` resolves (on a later turn of the event loop), in
 * publish order, each with its own copy of the event, as they would behind Redis.
 */
export class MemoryInvalidationBus implements InvalidationBus {
  private readonly channel: string;
  private readonly own = new Set<Handler>();
  private closed = false;

  constructor(private readonly options: MemoryBusOptions = {}) {
    this.channel = options.channel ?? INVALIDATION_CHANNEL;
  }

  async publish(event: InvalidationEvent): Promise<void> {
    if (this.closed) throw new Error("invalidation bus is closed");
    const json = JSON.stringify(event);
    for (const handler of hubs.get(this.channel) ?? []) {
      setImmediate(() => {
        try {
          handler(JSON.parse(json) as InvalidationEvent);
        } catch (error) {
          this.options.logger?.error({ err: error, event: event.id }, "invalidation handler failed");
        }
      });
    }
  }

  async subscribe(handler: Handler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("invalidation bus is closed");
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const subscription: Handler = (event) => handler(event);
    let hub = hubs.get(this.channel);
    if (!hub) hubs.set(this.channel, (hub = new Set()));
    hub.add(subscription);
    this.own.add(subscription);
    return async () => this.drop(subscription);
  }

  /** Ends this handle's subscriptions; other handles on the channel keep theirs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subscription of this.own) this.drop(subscription);
  }

  private drop(subscription: Handler): void {
    this.own.delete(subscription);
    const hub = hubs.get(this.channel);
    hub?.delete(subscription);
    if (hub?.size === 0) hubs.delete(this.channel);
  }
}

/** A handle on the process-wide in-memory bus; default channel INVALIDATION_CHANNEL. */
export function memoryBus(options: MemoryBusOptions = {}): MemoryInvalidationBus {
  return new MemoryInvalidationBus(options);
}
