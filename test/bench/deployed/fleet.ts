import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { REGISTRIES, type Stack } from "@onecert/cli";
import { createKeyring, GATEWAY_JWKS_PATH, KEY_PURPOSES, openDb } from "@onecert/subgraph-kit";
import { childEnv } from "../../support/gateway-process";
import { lateRelay, ONECERT, spawnService, type Service } from "./processes";

// The processes of the deployed benchmark, started when a scenario first needs them and stopped
// when no later one does: registry sets (signed, signed and traced, bare), gateways, the
// certificates service. Every one is `onecert serve <service>` (the compiled CLI, as deployed)
// except the baseline's, which baseline-child.ts serves.

/** A gateway and the registries it calls: what CPU is read of during a run. */
export interface Deployment {
  gateway: Service;
  registries: Service[];
}

export type RegistrySet = "signed" | "traced" | "bare";
export type GatewayKind = "off" | "cache" | "traced" | "plain" | "unsigned";

export interface FleetOptions {
  /** Environment every child starts from (LOG_LEVEL, HOST, ONECERT_DATA_DIR ...). */
  env: Record<string, string>;
  registriesUrl: string;
  gatewayUrl: string;
  redisUrl: string;
  /** Unique per run: the cache's keys and the invalidation channel. */
  cachePrefix: string;
  /** The discarding OTLP/HTTP sink of the traced processes. */
  otlpEndpoint: string;
}

const TSX = ["--import", "tsx"];
const BASELINE_CHILD = join(__dirname, "baseline-child.ts");
/** The registries a gateway calls: the plain and unsigned ones bare ones, the traced one traced ones. */
const setOf = (kind: GatewayKind): RegistrySet =>
  kind === "plain" || kind === "unsigned" ? "bare" : kind === "traced" ? "traced" : "signed";

export async function createFleet(options: FleetOptions) {
  const jwks = await jwksServer(options.gatewayUrl);
  const traced = {
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    OTEL_TRACES_SAMPLER: process.env.BENCH_TRACES_SAMPLER ?? "always_on",
  };
  const sets = new Map<RegistrySet, Promise<Service[]>>();
  const gateways = new Map<GatewayKind, Promise<Service>>();
  let certificates: Promise<{ service: Service; relay: Awaited<ReturnType<typeof lateRelay>> }> | undefined;

  const registrySet = (set: RegistrySet): Promise<Service[]> => {
    if (!sets.has(set)) {
      const env = {
        ...options.env,
        DATABASE_URL: options.registriesUrl,
        SEED_PERSONS: "0",
        GATEWAY_JWKS_URL: jwks.url,
        ...(set === "traced" ? traced : {}),
      };
      const starting = REGISTRIES.map((registry) =>
        set === "bare"
          ? spawnService(`${registry.name} (bare)`, [...TSX, BASELINE_CHILD, "registry", registry.name], env)
          : spawnService(`${registry.name} (${set})`, [ONECERT, "serve", registry.name], env),
      );
      // One that fails to start takes the others down with it: no process is left behind.
      sets.set(
        set,
        Promise.allSettled(starting).then(async (settled) => {
          const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
          const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
          if (!failed) return started;
          await Promise.all(started.map((service) => service.stop()));
          throw failed.reason;
        }),
      );
    }
    return sets.get(set)!;
  };

  /** The certificates service, asking its data requests of whichever gateway `relay` is pointed at. */
  const certificatesService = () =>
    (certificates ??= lateRelay().then(async (relay) => {
      const env = {
        ...options.env,
        GATEWAY_DATABASE_URL: options.gatewayUrl,
        GATEWAY_URL: `http://127.0.0.1:${relay.port}/graphql`,
      };
      return { service: await spawnService("certificates", [ONECERT, "serve", "certificates"], env), relay };
    }));

  const gatewayFor = (kind: GatewayKind): Promise<Service> => {
    if (!gateways.has(kind)) {
      const set = setOf(kind);
      gateways.set(
        kind,
        (async () => {
          const registries = await registrySet(set);
          const cert = kind === "plain" ? undefined : (await certificatesService()).service;
          // childEnv reads only the services' names and URLs of the stack it is given.
          // Services are named for what they are ("population (bare)"); childEnv wants the subgraphs' names.
          const named = REGISTRIES.map((registry, i) => ({ name: registry.name, url: registries[i].url }));
          const stack = { registries: named, certificates: cert } as unknown as Stack;
          const env = childEnv(stack, {
            ...options.env,
            GATEWAY_DATABASE_URL: options.gatewayUrl,
            CACHE_ENABLED: kind === "cache" ? "true" : "false",
            CACHE_DEBUG_HEADER: "false",
            CACHE_KEY_PREFIX: `${options.cachePrefix}:`,
            CACHE_MAX_ENTRIES: "200000",
            INVALIDATION_CHANNEL: `${options.cachePrefix}:invalidation`,
            ...(kind === "cache" ? { REDIS_URL: options.redisUrl } : {}),
            ...(kind === "traced" ? traced : {}),
          });
          if (kind === "plain")
            return spawnService("plain @apollo/gateway", [...TSX, BASELINE_CHILD, "plain"], env);
          if (kind === "unsigned")
            return spawnService("gateway (unsigned)", [...TSX, BASELINE_CHILD, "unsigned"], env);
          return spawnService(`gateway (${kind})`, [ONECERT, "serve", "gateway"], env);
        })(),
      );
    }
    return gateways.get(kind)!;
  };

  return {
    async deployment(kind: GatewayKind): Promise<Deployment> {
      const gateway = await gatewayFor(kind);
      return {
        gateway,
        registries: await registrySet(setOf(kind)),
      };
    },
    certificates: async (): Promise<Service> => (await certificatesService()).service,
    /** Points the certificates service's data requests at `gateway`. */
    async certificatesCall(gateway: Service): Promise<void> {
      (await certificatesService()).relay.target(Number(new URL(gateway.base).port));
    },
    /** Stops the gateways (and registry sets) not in `keep`, to spare the machine and PostgreSQL's connections. */
    async release(keep: readonly GatewayKind[]): Promise<void> {
      for (const [kind, gateway] of [...gateways]) {
        if (keep.includes(kind)) continue;
        gateways.delete(kind);
        // One that failed to start has nothing left to stop.
        const stopped = await gateway.catch(() => undefined);
        if (!stopped) continue;
        await stopped.stop();
      }
      const needed = new Set(keep.map(setOf));
      if (keep.length) needed.add("signed");
      for (const [set, services] of [...sets]) {
        if (needed.has(set)) continue;
        sets.delete(set);
        const started = await services.catch((): Service[] => []);
        await Promise.all(started.map((service) => service.stop()));
      }
    },
    async stop(): Promise<void> {
      await this.release([]);
      const started = await certificates?.catch(() => undefined);
      if (started) {
        const { service, relay } = started;
        await service.stop();
        await relay.close();
      }
      await jwks.close();
    },
  };
}

export type Fleet = Awaited<ReturnType<typeof createFleet>>;

/**
 * GATEWAY_JWKS_URL of the signed registries: the hop keys the OneCert gateways publish, read from
 * the keyring of the database they share (as their own JWKS endpoint does) on each request. The
 * registries start before any gateway, so they cannot be given a gateway's URL.
 */
async function jwksServer(gatewayUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const db = openDb({ url: gatewayUrl, maxConnections: 1 });
  const keyring = createKeyring(db, { purpose: KEY_PURPOSES.hop });
  const server = createServer((_request, response) => {
    // Before the first gateway has made its keyring there are no keys yet.
    void keyring
      .published()
      .catch(() => [])
      .then((keys) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${GATEWAY_JWKS_PATH}`,
    close: async () => {
      await new Promise((done) => server.close(done));
      await db.close();
    },
  };
}
