import type { Logger } from "@onecert/subgraph-kit";
import { settledWithin } from "@onecert/subgraph-kit";

export interface OutageGuardOptions {
  logger: Logger;
  /** What is unavailable, for the log lines, e.g. "cache". */
  what: string;
  /** Whether the connection is up right now (ioredis status "ready"). */
  connected: () => boolean;
  /** Longest wait for one call before it counts as failed. Default 200 ms. */
  timeoutMs?: number;
  /** While degraded, how often a call is let through to probe the store. Default 1000 ms. */
  probeIntervalMs?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

/**
 * Keeps callers from waiting on a store that is down or slow: calls run with a timeout; the
 * first failure switches to degraded (one warning per outage), during which calls are refused
 * at once except one probe per interval on a connected client; the first success switches back.
 */
export class OutageGuard {
  private outage = false;
  private nextProbe = 0;
  private failed = 0;
  private readonly timeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: OutageGuardOptions) {
    this.timeoutMs = options.timeoutMs ?? 200;
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  get degraded(): boolean {
    return this.outage;
  }

  /** Calls that failed or timed out since start. */
  get failures(): number {
    return this.failed;
  }

  /** Whether a call would be tried now (false: degraded and not yet time to probe). */
  get open(): boolean {
    return !this.outage || (this.options.connected() && this.now() >= this.nextProbe);
  }

  /** Runs `call` within the timeout; resolves `fallback` instead when refused or failed. */
  async run<T>(call: () => Promise<T>, fallback: T, timeoutMs = this.timeoutMs): Promise<T> {
    if (!this.open) return fallback;
    if (this.outage) this.nextProbe = this.now() + this.probeIntervalMs;
    try {
      const result = await settledWithin(call(), timeoutMs);
      this.succeeded();
      return result;
    } catch (error) {
      this.fail(error);
      return fallback;
    }
  }

  /** Records a failure seen outside run(). */
  fail(error: unknown): void {
    this.failed += 1;
    this.nextProbe = this.now() + this.probeIntervalMs;
    if (!this.outage) {
      this.options.logger.warn(
        { err: error },
        `redis unavailable or slow: the ${this.options.what} is bypassed (requests are served uncached) until it answers`,
      );
    }
    this.outage = true;
  }

  private succeeded(): void {
    if (this.outage) this.options.logger.info(`redis answers again: the ${this.options.what} is in use`);
    this.outage = false;
  }
}
