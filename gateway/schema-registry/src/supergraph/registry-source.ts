import type { SupergraphManager } from "@apollo/gateway";
import type { Logger } from "@onecert/subgraph-kit";
import type { VersionNotifier } from "../notifier";
import type { RegistryStore } from "../store";
import type { VersionRecord } from "../types";

export interface RegistrySourceOptions {
  store: RegistryStore;
  notifier: VersionNotifier;
  /** Look for a new version this often, whatever the notifications do. Default 3000 ms. */
  pollIntervalMs?: number;
  /** Fills an empty registry (or syncs it) before the first load. */
  bootstrap?: () => Promise<void>;
  /** Told of each version just before the gateway switches to it. */
  onVersion?: (version: VersionRecord) => void;
  logger: Logger;
}

/**
 * A supergraph manager over the department registry: loads the current version at start, then
 * switches to each newer one as a notification (Redis or PostgreSQL) or the poll reports it.
 * The gateway swaps schema and query planner at once; requests in flight finish on the old plan.
 */
export function registrySupergraphManager(options: RegistrySourceOptions): SupergraphManager {
  const { store, notifier, logger } = options;
  return {
    async initialize({ update }) {
      await options.bootstrap?.();
      let loaded = await store.current();
      if (!loaded) throw new Error("the registry holds no supergraph version (SUPERGRAPH_SOURCE=registry)");
      options.onVersion?.(loaded);
      let stopped = false;
      // Nothing is applied before the gateway took the first version, which it does right after
      // initialize() resolves, before any timer fires.
      let live = false;
      let running: Promise<void> | null = null;
      let again = false;

      const load = async () => {
        const latest = await store.latestVersion();
        if (stopped || !loaded || latest <= loaded.version) return;
        const next = await store.version(latest);
        if (stopped || !next) return;
        const previous = loaded;
        options.onVersion?.(next);
        try {
          update(next.supergraphSdl);
          loaded = next;
          logger.info({ from: previous.version, to: next.version }, "switched to a new supergraph version");
        } catch (error) {
          options.onVersion?.(previous);
          logger.error({ err: error, version: next.version }, "the gateway refused a supergraph version");
        }
      };
      // One load at a time; a trigger during a load runs one more after it.
      const refresh = (): Promise<void> => {
        if (!live) return Promise.resolve();
        if (running) {
          again = true;
          return running;
        }
        running = load()
          .catch((error: unknown) => logger.warn({ err: error }, "reading the registry failed; retrying"))
          .finally(() => {
            running = null;
            if (again && !stopped) {
              again = false;
              void refresh();
            }
          });
        return running;
      };

      const unsubscribe = await notifier
        .subscribe(() => void refresh())
        .catch((error: unknown) => {
          logger.warn({ err: error, notifier: notifier.kind }, "no version notifications; polling only");
          return async () => undefined;
        });
      const timer = setInterval(() => void refresh(), options.pollIntervalMs ?? 3000);
      timer.unref();
      // Then a version published between the read above and the subscription is not missed.
      setTimeout(() => {
        live = true;
        void refresh();
      }, 0);
      return {
        supergraphSdl: loaded.supergraphSdl,
        async cleanup() {
          stopped = true;
          clearInterval(timer);
          await unsubscribe();
          await running;
        },
      };
    },
  };
}
