import { probeSubgraph, type SubgraphPost, type SubgraphStatus } from "./probe";

/** A subgraph's health as last probed, with the last failure kept after it recovers. */
export interface SubgraphHealth extends SubgraphStatus {
  checkedAt: string;
  /** The most recent failure, also once the subgraph is up again; null when it never failed. */
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface HealthCheckerOptions {
  /** Probe every subgraph this often. Default 10000 ms. */
  intervalMs?: number;
  /** One probe's bound. Default 2000 ms. */
  timeoutMs?: number;
  /** How a probe reaches a subgraph (the gateway signs it). Default an unsigned fetch. */
  post?: SubgraphPost;
  /** Probes one subgraph. Default probeSubgraph over `post`. */
  probe?: (name: string, url: string, timeoutMs: number) => Promise<SubgraphStatus>;
}

export interface HealthChecker {
  /** The subgraphs to watch from now on (those of the loaded supergraph, at their effective URLs). */
  track(subgraphs: readonly { name: string; url: string }[]): void;
  /** Probes every tracked subgraph now, records the results and returns them. */
  probeAll(): Promise<SubgraphHealth[]>;
  /** The last recorded health of a tracked subgraph. */
  status: (name: string) => SubgraphHealth | undefined;
  close(): void;
}

/**
 * Probes the subgraphs of the loaded supergraph periodically, so that /ready and the registry
 * API can show each subgraph's state and its last error even between calls.
 */
export function createHealthChecker(options: HealthCheckerOptions = {}): HealthChecker {
  const probe =
    options.probe ??
    ((name: string, url: string, timeoutMs: number) => probeSubgraph(name, url, timeoutMs, options.post));
  const timeoutMs = options.timeoutMs ?? 2000;
  let targets: { name: string; url: string }[] = [];
  const states = new Map<string, SubgraphHealth>();

  const probeRound = async (): Promise<SubgraphHealth[]> => {
    const current = targets;
    const results = await Promise.all(current.map((target) => probe(target.name, target.url, timeoutMs)));
    const checkedAt = new Date().toISOString();
    return results.map((result) => {
      const previous = states.get(result.name);
      const failed = result.status === "down";
      const health: SubgraphHealth = {
        ...result,
        checkedAt,
        lastError: failed ? (result.error ?? "down") : (previous?.lastError ?? null),
        lastErrorAt: failed ? checkedAt : (previous?.lastErrorAt ?? null),
      };
      // A subgraph dropped while the probe ran is not brought back.
      if (targets.some((target) => target.name === result.name)) states.set(result.name, health);
      return health;
    });
  };

  // Calls while a round runs share it: /ready is open to anyone, and a flood of it must not be
  // multiplied onto every registry.
  let running: Promise<SubgraphHealth[]> | null = null;
  const probeAll = (): Promise<SubgraphHealth[]> =>
    (running ??= probeRound().finally(() => {
      running = null;
    }));

  // Not a shared scheduled job: the results live in this replica's memory and describe what this
  // replica reaches (its own network path and SUBGRAPH_URL_* overrides), which its /ready reports,
  // so every replica probes for itself.
  const timer = setInterval(() => void probeAll().catch(() => undefined), options.intervalMs ?? 10_000);
  timer.unref();
  return {
    track(subgraphs) {
      targets = subgraphs.map(({ name, url }) => ({ name, url }));
      for (const name of states.keys()) {
        if (!targets.some((target) => target.name === name)) states.delete(name);
      }
      void probeAll().catch(() => undefined);
    },
    probeAll,
    status: (name) => states.get(name),
    close: () => clearInterval(timer),
  };
}
