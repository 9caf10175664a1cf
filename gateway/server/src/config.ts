import type { AuthConfig } from "@onecert/access";
import { resolve } from "node:path";
import { readAuditConfig, type AuditConfig } from "@onecert/audit";
import { loadCacheConfig, type CacheConfig } from "./cache/config";
import {
  ConfigError,
  cryptoSuiteFromEnv,
  DATA_DIR,
  defineSettings,
  env as value,
  SCHEMA_DIR,
  setting,
  SUPERGRAPH_PATH,
  variablePart,
  withDefault,
  type CryptoSuite,
  type Env,
} from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import { OIDC_SETTINGS, oidcConfigOf, type OidcConfig } from "./console/oidc-config";
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
   * Addresses or CIDR ranges of the reverse proxies (an ingress, a load balancer) whose
   * X-Forwarded-For names the client's address, as login throttling counts it. Env TRUST_PROXY,
   * default none: the connection's peer is the client.
   */
  trustedProxies: string[];
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
  /** Console single sign-on (OIDC_*); undefined, the default, without OIDC_ISSUER: passwords only. */
  oidc?: OidcConfig;
  limits: LimitsConfig;
  /** Redis for shared rate limits and caches. Env REDIS_URL; unset: in-process fallbacks. */
  redisUrl?: string;
  /** Entity, response, persisted-query and query-plan caches (CACHE_*, REDIS_CLUSTER_NODES, ...). */
  cache: CacheConfig;
  /** Matter definitions (minimum necessary). Env MATTERS_DIR, default schema/matters. */
  mattersDir: string;
  /** The built web console. Env CONSOLE_DIST_DIR, default the @onecert/console package's dist/. */
  consoleDir?: string;
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

const DEV = "on when `NODE_ENV=development` (as under `npm start`)";

/** The gateway's own variables (the cache, registry and audit groups add theirs). */
export const GATEWAY_SETTINGS = defineSettings("gateway", {
  PORT: withDefault(value.integer(0, 65535), 4000, "listening port; `0` picks a free one"),
  HOST: withDefault(value.text(), "127.0.0.1", "interface to bind (`0.0.0.0` in containers)"),
  SUPERGRAPH_SOURCE: withDefault(
    value.oneOf(["file", "registry", "live"]),
    "file",
    "where the supergraph comes from",
  ),
  SUPERGRAPH_PATH: setting(value.text(), "the composed supergraph", "`schema/supergraph.graphql`"),
  TRUSTED_SUBGRAPHS: withDefault(
    value.list(value.text()),
    ["certificates"],
    "services that may call back on behalf of the request they serve",
  ),
  PROOF_KEY_SECRET: setting(value.text(), "encrypts the proof signing keys at rest", "unset"),
  HOP_ISSUER: withDefault(value.text(), "onecert-gateway", "`iss` of the hop assertions"),
  HOP_TTL_SECONDS: withDefault(value.integer(1, 60), 30, "validity of an assertion, 1 to 60 s"),
  HOP_KEY_SECRET: setting(value.text(), "encrypts the hop signing keys at rest", "unset"),
  HOP_KEY_ROTATE_DAYS: withDefault(
    value.integer(1, 3650),
    30,
    "age at which a new hop key replaces the active one",
  ),
  SUBGRAPH_TLS_CA: setting(value.text(), "PEM file: the CA the subgraphs' certificates chain to", "unset"),
  SUBGRAPH_TLS_CERT: setting(value.text(), "PEM file: the gateway's client certificate", "unset"),
  SUBGRAPH_TLS_KEY: setting(value.text(), "PEM file: the key of the gateway's client certificate", "unset"),
  SUBGRAPH_TIMEOUT_MS: withDefault(value.integer(100, 600_000), 5000, "per subgraph call"),
  INTROSPECTION: setting(value.flag(), "schema introspection", DEV),
  FIELD_SUGGESTIONS: setting(value.flag(), '"Did you mean" in validation errors', DEV),
  MAX_BODY_BYTES: withDefault(value.integer(1024, 64 * 1024 * 1024), 1024 * 1024, "largest request body"),
  TRUST_PROXY: withDefault(
    value.list(value.matching((raw) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(raw), "an IP address or CIDR")),
    [],
    "reverse proxies whose X-Forwarded-For names the client",
  ),
  MAX_EVENT_LOOP_DELAY_MS: withDefault(
    value.integer(0, 60_000),
    1000,
    "event-loop delay past which requests are shed; `0` never sheds",
  ),
  GATEWAY_DATABASE_URL: setting(value.text(), "PostgreSQL for the gateway's own tables", "`DATABASE_URL`"),
  DATABASE_URL: setting(value.text(), "PostgreSQL", "unset: embedded PGlite"),
  GATEWAY_PGLITE_DATA_DIR: setting(value.text(), "the gateway's embedded database", "`.data/pglite-gateway`"),
  AUTH_JWKS_URL: setting(value.httpUrl(), "JWKS of the identity provider whose tokens are accepted", "unset"),
  AUTH_JWKS_FILE: setting(value.text(), "the same keys from a file", "unset"),
  AUTH_JWT_ISSUER: setting(value.text(), "required `iss` of accepted tokens", "unset"),
  AUTH_JWT_AUDIENCE: withDefault(value.text(), "onecert", "required `aud` of accepted tokens"),
  ...OIDC_SETTINGS,
  LIMIT_MAX_DEPTH: withDefault(value.integer(1, 100), 12, "deepest selection"),
  LIMIT_MAX_ALIASES: withDefault(value.integer(0, 1000), 30, "most aliases"),
  LIMIT_MAX_ROOT_FIELDS: withDefault(value.integer(1, 1000), 10, "most root fields"),
  LIMIT_MAX_COST: withDefault(value.integer(1, 10_000_000), 5000, "estimated cost ceiling"),
  LIMIT_DEFAULT_LIST_SIZE: withDefault(value.integer(1, 10_000), 10, "assumed size of a list"),
  LIMIT_MAX_DOCUMENT_BYTES: withDefault(value.integer(256, 1024 * 1024), 16_384, "largest query document"),
  RATE_LIMIT_PER_MINUTE: withDefault(value.integer(1, 10_000_000), 600, "requests per client per minute"),
  REDIS_URL: setting(value.text(), "Redis for shared state", "unset: in-process fallbacks"),
  MATTERS_DIR: setting(value.text(), "matter definitions", "`schema/matters`"),
  CONSOLE_DIST_DIR: setting(value.text(), "the built web console", "`gateway/console/dist`"),
  CERTIFICATES_DIR: setting(value.text(), "certificate types, one YAML file each", "`schema/certificates`"),
  MASKING_CONFIG: setting(value.text(), "masking patterns", "`schema/masking.yaml`"),
  SHARE_DEFAULT: withDefault(
    value.oneOf(SHARE_LEVELS),
    "NOT_SHARED",
    "share level of a field and type that declare none",
  ),
});

/** The environment variable that overrides a subgraph's URL: legal-entity → SUBGRAPH_URL_LEGAL_ENTITY. */
export const urlVariable = (name: string): string => `SUBGRAPH_URL_${variablePart(name)}`;

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
  const read = GATEWAY_SETTINGS.read(env, problems);
  const cryptoSuite = cryptoSuiteFromEnv(env, problems);
  const development = env.NODE_ENV === "development";

  const subgraphUrls: Record<string, string> = {};
  const url = value.httpUrl();
  for (const [variable, raw] of Object.entries(env)) {
    const name = subgraphOfVariable(variable);
    if (!name || !raw) continue;
    if (!url.safeParse(raw).success) problems.push(`${variable} must be an http(s) URL`);
    else subgraphUrls[name] = raw;
  }

  const path = read.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH;
  const supergraph: SupergraphSourceConfig =
    read.SUPERGRAPH_SOURCE === "live"
      ? { kind: "live", path, urls: subgraphUrls }
      : { kind: read.SUPERGRAPH_SOURCE, path };

  const config: GatewayConfig = {
    port: read.PORT,
    host: read.HOST,
    supergraph,
    subgraphUrls,
    trustedSubgraphs: read.TRUSTED_SUBGRAPHS,
    proofKeySecret: read.PROOF_KEY_SECRET,
    cryptoSuite,
    hop: {
      issuer: read.HOP_ISSUER,
      ttlSeconds: read.HOP_TTL_SECONDS,
      keySecret: read.HOP_KEY_SECRET,
      rotateAfterDays: read.HOP_KEY_ROTATE_DAYS,
      tls: subgraphTls(read, problems),
    },
    subgraphTimeoutMs: read.SUBGRAPH_TIMEOUT_MS,
    introspection: read.INTROSPECTION ?? development,
    fieldSuggestions: read.FIELD_SUGGESTIONS ?? development,
    maxBodyBytes: read.MAX_BODY_BYTES,
    trustedProxies: read.TRUST_PROXY,
    maxEventLoopDelayMs: read.MAX_EVENT_LOOP_DELAY_MS,
    database: {
      url: read.GATEWAY_DATABASE_URL ?? read.DATABASE_URL,
      dataDir: read.GATEWAY_PGLITE_DATA_DIR ?? resolve(DATA_DIR, "pglite-gateway"),
    },
    auth: {
      jwksUrl: read.AUTH_JWKS_URL,
      jwksFile: read.AUTH_JWKS_FILE,
      issuer: read.AUTH_JWT_ISSUER,
      audience: read.AUTH_JWT_AUDIENCE,
    },
    oidc: oidcConfigOf(read, problems),
    limits: {
      maxDepth: read.LIMIT_MAX_DEPTH,
      maxAliases: read.LIMIT_MAX_ALIASES,
      maxRootFields: read.LIMIT_MAX_ROOT_FIELDS,
      maxCost: read.LIMIT_MAX_COST,
      defaultListSize: read.LIMIT_DEFAULT_LIST_SIZE,
      maxDocumentBytes: read.LIMIT_MAX_DOCUMENT_BYTES,
      rateLimitPerMinute: read.RATE_LIMIT_PER_MINUTE,
    },
    redisUrl: read.REDIS_URL,
    cache: loadCacheConfig(env, problems),
    mattersDir: read.MATTERS_DIR ?? resolve(SCHEMA_DIR, "matters"),
    consoleDir: read.CONSOLE_DIST_DIR ? resolve(read.CONSOLE_DIST_DIR) : undefined,
    certificatesDir: read.CERTIFICATES_DIR ?? resolve(SCHEMA_DIR, "certificates"),
    maskingPath: read.MASKING_CONFIG ?? resolve(SCHEMA_DIR, "masking.yaml"),
    shareDefault: read.SHARE_DEFAULT,
    registry: loadRegistryConfig(env, problems),
    audit: readAuditConfig(env, problems, cryptoSuite),
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The PEM files of SUBGRAPH_TLS_CA, SUBGRAPH_TLS_CERT and SUBGRAPH_TLS_KEY; undefined when none is set. */
function subgraphTls(
  settings: Record<"SUBGRAPH_TLS_CA" | "SUBGRAPH_TLS_CERT" | "SUBGRAPH_TLS_KEY", string | undefined>,
  problems: string[],
): SubgraphTls | undefined {
  const read = (name: keyof typeof settings) => {
    const path = settings[name];
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
