import type { AuthConfig } from "@onecert/access";
import { resolve } from "node:path";
import { readAuditConfig, type AuditConfig } from "@onecert/audit";
import { loadCacheConfig, type CacheConfig } from "./cache/config";
import {
  ConfigError,
  cryptoSuiteFromEnv,
  DATA_DIR,
  envReader,
  SCHEMA_DIR,
  SUPERGRAPH_PATH,
  type CryptoSuite,
} from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import type { SubgraphTls } from "./hop/http-client";
import { loadRegistryConfig } from "@onecert/schema-registry";
import type { SupergraphSourceConfig, RegistryConfig } from "@onecert/schema-registry";

/** Everything the gateway bootstrap needs; built and checked once at start. */
export interface GatewayConfig {
  /** Port to listen on; 0 picks a free one. Env PORT, default 4000. */
  port: number;
  /** Interface to bind. Env HOST, default 127.0.0.1 (0.0.0.0 in containers). */
  host: string;
  supergraph: SupergraphSourceConfig;
  /** Subgraph URL per name, overriding the URL recorded in the supergraph. Env SUBGRAPH_URL_<NAME>. */
  subgraphUrls: Record<string, string>;
  /**
   * Internal subgraphs that receive the caller's credential and purpose headers, to query the
   * gateway as the caller. Env TRUSTED_SUBGRAPHS (comma-separated), default "certificates".
   */
  trustedSubgraphs: string[];
  /** Encrypts proof signing keys at rest (shared with the certificates service). Env PROOF_KEY_SECRET. */
  proofKeySecret?: string;
  /** The signatures and digests of this deployment. Env CRYPTO_SUITE (standard, national), default standard. */
  cryptoSuite: CryptoSuite;
  /** The gateway-to-subgraph hop: every request a subgraph gets carries an assertion the gateway signed. */
  hop: HopConfig;
  /** Per subgraph call. Env SUBGRAPH_TIMEOUT_MS, default 5000. */
  subgraphTimeoutMs: number;
  /** Schema introspection. Env INTROSPECTION, default on only when NODE_ENV=development. */
  introspection: boolean;
  /**
   * "Did you mean …?" in validation errors, which name fields a caller may not read. Env
   * FIELD_SUGGESTIONS, default on only when NODE_ENV=development.
   */
  fieldSuggestions: boolean;
  /** Largest accepted request body. Env MAX_BODY_BYTES, default 1 MiB. */
  maxBodyBytes: number;
  /**
   * Event-loop delay past which requests are shed (503 OVERLOADED, retry-after 5) rather than
   * queued until they time out; 0 turns shedding off. Env MAX_EVENT_LOOP_DELAY_MS, default 1000.
   */
  maxEventLoopDelayMs: number;
  /** The gateway's own tables (clients, grants, ...). */
  database: {
    /** Env GATEWAY_DATABASE_URL, then DATABASE_URL; unset: embedded PGlite in `dataDir`. */
    url?: string;
    /** Env GATEWAY_PGLITE_DATA_DIR, default .data/pglite-gateway. */
    dataDir: string;
  };
  auth: AuthConfig;
  limits: LimitsConfig;
  /** Redis for shared rate limits and caches. Env REDIS_URL; unset: in-process fallbacks. */
  redisUrl?: string;
  /** Entity, response, persisted-query and query-plan caches (CACHE_*, REDIS_CLUSTER_NODES, ...). */
  cache: CacheConfig;
  /** Matter definitions (minimum necessary). Env MATTERS_DIR, default schema/matters. */
  mattersDir: string;
  /** Certificate types (schema/certificates); the department registry keeps them working. Env CERTIFICATES_DIR. */
  certificatesDir: string;
  /** Masking patterns. Env MASKING_CONFIG, default schema/masking.yaml. */
  maskingPath: string;
  /** Share level of a field and type that declare none. Env SHARE_DEFAULT, default NOT_SHARED (fail closed). */
  shareDefault: ShareLevel;
  /** Department registry, registry supergraph source and field usage (REGISTRY_*, USAGE_FLUSH_MS). */
  registry: RegistryConfig;
  /** The audit trail (AUDIT_*): database, failure mode, batching, checkpoints, retention, anomalies. */
  audit: AuditConfig;
}

export type ShareLevel = "UNCONDITIONAL" | "CONDITIONAL" | "NOT_SHARED";
export const SHARE_LEVELS: readonly ShareLevel[] = ["UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED"];

export interface HopConfig {
  /** `iss` of the assertions; subgraphs accept only this issuer. Env HOP_ISSUER, default "onecert-gateway". */
  issuer: string;
  /** Validity of an assertion, 1 to 60 s. Env HOP_TTL_SECONDS, default 30. */
  ttlSeconds: number;
  /** Encrypts the hop signing keys at rest. Env HOP_KEY_SECRET; unset: stored in clear. */
  keySecret?: string;
  /** Age after which a new hop key replaces the active one. Env HOP_KEY_ROTATE_DAYS, default 30. */
  rotateAfterDays: number;
  /** TLS to the subgraphs: CA, and the gateway's client certificate for mutual TLS. Env SUBGRAPH_TLS_CA/_CERT/_KEY (files). */
  tls?: SubgraphTls;
}

export interface LimitsConfig {
  /** Env LIMIT_MAX_DEPTH, default 12. */
  maxDepth: number;
  /** Env LIMIT_MAX_ALIASES, default 30. */
  maxAliases: number;
  /** Env LIMIT_MAX_ROOT_FIELDS, default 10. */
  maxRootFields: number;
  /** Estimated cost ceiling (each field 1, lists multiply). Env LIMIT_MAX_COST, default 5000. */
  maxCost: number;
  /** Assumed size of a list whose size an argument does not give. Env LIMIT_DEFAULT_LIST_SIZE, default 10. */
  defaultListSize: number;
  /** Largest query document, in bytes. Env LIMIT_MAX_DOCUMENT_BYTES, default 16384. */
  maxDocumentBytes: number;
  /** Requests per client per minute unless the client has its own. Env RATE_LIMIT_PER_MINUTE, default 600. */
  rateLimitPerMinute: number;
}

type Env = Record<string, string | undefined>;

/** The environment variable that overrides a subgraph's URL: legal-entity → SUBGRAPH_URL_LEGAL_ENTITY. */
export const urlVariable = (name: string): string => `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, "_")}`;

/** The subgraph a SUBGRAPH_URL_<NAME> variable names (SUBGRAPH_URL_LEGAL_ENTITY → legal-entity). */
function subgraphOfVariable(variable: string): string | undefined {
  const match = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(variable);
  return match?.[1] ? match[1].toLowerCase().replace(/_/g, "-") : undefined;
}

/** Reads the gateway configuration from the environment, reporting every problem at once. */
export function loadGatewayConfig(
  env: Env = process.env,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  const problems: string[] = [];
  const { int, bool } = envReader(env, problems);

  const subgraphUrls: Record<string, string> = {};
  for (const [variable, raw] of Object.entries(env)) {
    const name = subgraphOfVariable(variable);
    if (!name || !raw) continue;
    if (!/^https?:\/\/[^\s]+$/.test(raw)) problems.push(`${variable} must be an http(s) URL`);
    else subgraphUrls[name] = raw;
  }

  const sourceKind = env.SUPERGRAPH_SOURCE ?? "file";
  let supergraph: SupergraphSourceConfig = { kind: "file", path: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH };
  if (sourceKind === "live") {
    supergraph = { kind: "live", path: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH, urls: subgraphUrls };
  } else if (sourceKind === "registry") {
    supergraph = { kind: "registry", path: env.SUPERGRAPH_PATH || SUPERGRAPH_PATH };
  } else if (sourceKind !== "file") {
    problems.push(`SUPERGRAPH_SOURCE must be "file", "registry" or "live", got "${sourceKind}"`);
  }

  const config: GatewayConfig = {
    port: int("PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    supergraph,
    subgraphUrls,
    trustedSubgraphs: (env.TRUSTED_SUBGRAPHS ?? "certificates")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
    proofKeySecret: env.PROOF_KEY_SECRET || undefined,
    cryptoSuite: cryptoSuiteFromEnv(env, problems),
    hop: {
      issuer: env.HOP_ISSUER || "onecert-gateway",
      ttlSeconds: int("HOP_TTL_SECONDS", 30, 1, 60),
      keySecret: env.HOP_KEY_SECRET || undefined,
      rotateAfterDays: int("HOP_KEY_ROTATE_DAYS", 30, 1, 3650),
      tls: subgraphTls(env, problems),
    },
    subgraphTimeoutMs: int("SUBGRAPH_TIMEOUT_MS", 5000, 100, 600_000),
    introspection: bool("INTROSPECTION", env.NODE_ENV === "development"),
    fieldSuggestions: bool("FIELD_SUGGESTIONS", env.NODE_ENV === "development"),
    maxBodyBytes: int("MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxEventLoopDelayMs: int("MAX_EVENT_LOOP_DELAY_MS", 1000, 0, 60_000),
    database: {
      url: env.GATEWAY_DATABASE_URL || env.DATABASE_URL || undefined,
      dataDir: env.GATEWAY_PGLITE_DATA_DIR || resolve(DATA_DIR, "pglite-gateway"),
    },
    auth: {
      jwksUrl: env.AUTH_JWKS_URL || undefined,
      jwksFile: env.AUTH_JWKS_FILE || undefined,
      issuer: env.AUTH_JWT_ISSUER || undefined,
      audience: env.AUTH_JWT_AUDIENCE || "onecert",
    },
    limits: {
      maxDepth: int("LIMIT_MAX_DEPTH", 12, 1, 100),
      maxAliases: int("LIMIT_MAX_ALIASES", 30, 0, 1000),
      maxRootFields: int("LIMIT_MAX_ROOT_FIELDS", 10, 1, 1000),
      maxCost: int("LIMIT_MAX_COST", 5000, 1, 10_000_000),
      defaultListSize: int("LIMIT_DEFAULT_LIST_SIZE", 10, 1, 10_000),
      maxDocumentBytes: int("LIMIT_MAX_DOCUMENT_BYTES", 16_384, 256, 1024 * 1024),
      rateLimitPerMinute: int("RATE_LIMIT_PER_MINUTE", 600, 1, 10_000_000),
    },
    redisUrl: env.REDIS_URL || undefined,
    cache: loadCacheConfig(env, problems),
    mattersDir: env.MATTERS_DIR || resolve(SCHEMA_DIR, "matters"),
    certificatesDir: env.CERTIFICATES_DIR || resolve(SCHEMA_DIR, "certificates"),
    maskingPath: env.MASKING_CONFIG || resolve(SCHEMA_DIR, "masking.yaml"),
    shareDefault: shareLevel(env.SHARE_DEFAULT),
    registry: loadRegistryConfig(env, problems),
    audit: readAuditConfig(env, problems),
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;

  function shareLevel(raw: string | undefined): ShareLevel {
    if (!raw) return "NOT_SHARED";
    if ((SHARE_LEVELS as readonly string[]).includes(raw)) return raw as ShareLevel;
    problems.push(`SHARE_DEFAULT must be one of ${SHARE_LEVELS.join(", ")}, got "${raw}"`);
    return "NOT_SHARED";
  }
}

/** The PEM files of SUBGRAPH_TLS_CA, SUBGRAPH_TLS_CERT and SUBGRAPH_TLS_KEY; undefined when none is set. */
function subgraphTls(env: Env, problems: string[]): SubgraphTls | undefined {
  const read = (name: string) => {
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      problems.push(`${name}: cannot read ${path} (${(error as Error).message})`);
      return undefined;
    }
  };
  const tls = { ca: read("SUBGRAPH_TLS_CA"), cert: read("SUBGRAPH_TLS_CERT"), key: read("SUBGRAPH_TLS_KEY") };
  if (!!tls.cert !== !!tls.key)
    problems.push("SUBGRAPH_TLS_CERT and SUBGRAPH_TLS_KEY go together: the client certificate and its key");
  return tls.ca || tls.cert ? tls : undefined;
}
