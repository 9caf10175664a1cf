import type { Logger } from "@onecert/subgraph-kit";

export interface LiveOptions<T> {
  /** What identifies the state `build` reads (the catalogue's generation, say); cheap to read. */
  stamp(): Promise<string>;
  /** Builds the value for the state `stamp` named; a throw keeps the current value. */
  build(stamp: string): Promise<T>;
  /** How often the stamp is read, ms. Default 1000: a publish is served everywhere within about 1 s. */
  pollMs?: number;
  logger: Logger;
  /** What the logs call the value. */
  name: string;
}

/** A value rebuilt whenever the state it is built from changes, on every replica that holds one. */
export interface Live<T> {
  current(): T;
  /** The stamp `current()` was built for. */
  stamp(): string;
  /** Reads the stamp now and rebuilds when it changed; resolves once the value is current. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Polls a stamp and swaps in a rebuilt value when it changes. Requests read `current()` once
 * and keep what they read, so a swap never changes the rules in the middle of a request, and a
 * build that fails (a database blip) leaves the value in service and is tried at the next poll.
 */
export async function startLive<T>(options: LiveOptions<T>): Promise<Live<T>> {
  let stamp = await options.stamp();
  let value = await options.build(stamp);
  let running: Promise<void> | null = null;
  let failing = false;
  const refresh = () =>
    (running ??= (async () => {
      try {
        const next = await options.stamp();
        if (next === stamp) return;
        value = await options.build(next);
        options.logger.info(
          { [options.name]: next, previous: stamp },
          `${options.name} changed: now in service`,
        );
        stamp = next;
        failing = false;
      } catch (error) {
        // Logged once per outage, not once a second.
        if (!failing)
          options.logger.error({ err: error }, `reading the ${options.name} failed; the current one stays`);
        failing = true;
      }
    })().finally(() => {
      running = null;
    }));
  const timer = setInterval(() => void refresh(), options.pollMs ?? 1000);
  timer.unref();
  return {
    current: () => value,
    stamp: () => stamp,
    refresh,
    stop: () => clearInterval(timer),
  };
}
