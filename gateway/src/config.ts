import { SUPERGRAPH_PATH } from "./paths";
import { REGISTRIES, defaultUrl } from "./registries";
import type { SupergraphSourceConfig } from "./supergraph";

/** Everything the gateway bootstrap needs; built and checked once at start. */
export interface GatewayConfig {
  /** Port to listen on; 0 picks a free one. Env PORT, default 4000. */
  port: number;
  /** Interface to bind. Env HOST, default 127.0.0.1 (0.0.0.0 in containers). */
  host: string;
  supergraph: SupergraphSourceConfig;
  /** Subgraph URL per name, overriding the URL recorded in the supergraph. Env SUBGRAPH_URL_<NAME>. */
  subgraphUrls: Record<string, string>;
  /** Per subgraph call. Env SUBGRAPH_TIMEOUT_MS, default 5000. */
  subgraphTimeoutMs: number;
  /** Schema introspection. Env INTROSPECTION, default on only when NODE_ENV=development. */
  introspection: boolean;
  /** Largest accepted request body. Env MAX_BODY_BYTES, default 1 MiB. */
  maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

type Env = Record<string, string | undefined>;

/** The environment variable that overrides a subgraph's URL: legal-entity → SUBGRAPH_URL_LEGAL_ENTITY. */
export const urlVariable = (name: string): string => `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, "_")}`;

/** Reads the gateway configuration from the environment, reporting every problem at once. */
export function loadGatewayConfig(env: Env = process.env, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const subgraphUrls: Record<string, string> = {};
  for (const registry of REGISTRIES) {
    const raw = env[urlVariable(registry.name)];
    if (!raw) continue;
    if (!/^https?:\/\/[^\s]+$/.test(raw)) problems.push(`${urlVariable(registry.name)} must be an http(s) URL`);
    else subgraphUrls[registry.name] = raw;
  }

  const sourceKind = env.SUPERGRAPH_SOURCE ?? "file";
  let supergraph: SupergraphSourceConfig = { kind: "file", path: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH };
  if (sourceKind === "live") {
    supergraph = {
      kind: "live",
      subgraphs: REGISTRIES.map((registry) => ({
        name: registry.name,
        url: subgraphUrls[registry.name] ?? defaultUrl(registry),
      })),
    };
  } else if (sourceKind !== "file") {
    problems.push(`SUPERGRAPH_SOURCE must be "file" or "live", got "${sourceKind}"`);
  }

  const config: GatewayConfig = {
    port: int("PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    supergraph,
    subgraphUrls,
    subgraphTimeoutMs: int("SUBGRAPH_TIMEOUT_MS", 5000, 100, 600_000),
    introspection: bool("INTROSPECTION", env.NODE_ENV === "development"),
    maxBodyBytes: int("MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
