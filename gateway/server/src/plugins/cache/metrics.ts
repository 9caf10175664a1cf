import { Counter, Gauge, type Registry } from "prom-client";
import type { Cache, CacheCounters } from "../../cache";

const COUNTERS: { counter: keyof CacheCounters; help: string }[] = [
  { counter: "hits", help: "Cache lookups answered from cache, by entity type (or response, apq)." },
  { counter: "misses", help: "Cache lookups that had to fetch, by entity type (or response, apq)." },
  { counter: "sets", help: "Entries written to the cache, by entity type (or response, apq)." },
  {
    counter: "evictions",
    help: "Entries the in-process cache dropped for room before they expired, by type.",
  },
  {
    counter: "invalidations",
    help: "Entries dropped because a registry changed the data, by entity type changed.",
  },
];

/**
 * Exports the cache's counters on /metrics: onecert_cache_{hits,misses,sets,evictions,
 * invalidations}_total{type}, onecert_cache_degraded{backend} (1 while Redis is bypassed) and
 * onecert_cache_store_errors_total. Values are read from the cache at each scrape.
 */
export function registerCacheMetrics(registry: Registry, store: Cache): void {
  for (const { counter, help } of COUNTERS) {
    new Counter({
      name: `onecert_cache_${counter}_total`,
      help,
      labelNames: ["type"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [type, counters] of store.counters()) this.inc({ type }, counters[counter]);
      },
    });
  }
  new Gauge({
    name: "onecert_cache_degraded",
    help: "1 while the shared cache store is unreachable or slow and requests are served uncached.",
    labelNames: ["backend"],
    registers: [registry],
    collect() {
      this.set({ backend: store.kind }, store.degraded ? 1 : 0);
    },
  });
  new Counter({
    name: "onecert_cache_store_errors_total",
    help: "Calls to the cache store that failed or timed out.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(store.failures);
    },
  });
}
