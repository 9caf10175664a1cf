import { ConfigError, envReader, SCHEMA_DIR, type Env } from "@onecert/subgraph-kit";
import { resolve } from "node:path";

/** Where the catalogue is checked against: a composed supergraph file, or one already in memory. */
export type CertificatesSupergraph = { kind: "file"; path: string } | { kind: "sdl"; sdl: string };

/** Everything the certificates service needs; built once at start. */
export interface CertificatesConfig {
  /** Env PORT, then CERTIFICATES_PORT, default 4005; 0 picks a free one. */
  port: number;
  /** Only the gateway calls it. Env CERTIFICATES_HOST, then HOST, default 127.0.0.1. */
  host: string;
  /** Where checks send their data request. Env GATEWAY_URL, default http://127.0.0.1:4000/graphql. */
  gatewayUrl?: string;
  /** Certificate types. Env CERTIFICATES_DIR, default schema/certificates. */
  certificatesDir: string;
  /** Matters. Env MATTERS_DIR, default schema/matters. */
  mattersDir: string;
  /** Masking patterns of evidence. Env MASKING_CONFIG, default schema/masking.yaml. */
  maskingPath: string;
  /** Env SUPERGRAPH_PATH, default schema/supergraph.graphql. */
  supergraph: CertificatesSupergraph;
  proofs: {
    /** `iss` of proofs. Env PROOF_ISSUER, default "onecert". */
    issuer: string;
    /** Encrypts proof keys at rest. Env PROOF_KEY_SECRET; unset: stored in clear in the database. */
    keySecret?: string;
    /** Age after which a new signing key replaces the active one. Env PROOF_KEY_ROTATE_DAYS, default 90. */
    rotateAfterDays: number;
  };
  recheck: {
    /** Env RECHECK_INTERVAL_SECONDS, default 300. */
    intervalMs: number;
    /** API key of the client the periodic re-check uses. Env RECHECK_API_KEY; unset: only on request. */
    apiKey?: string;
  };
  /** Limit on a check's data request through the gateway. Env CHECK_TIMEOUT_MS, default 15000. */
  checkTimeoutMs: number;
}

/** Reads the certificates configuration from the environment, reporting every problem at once. */
export function loadCertificatesConfig(
  env: Env = process.env,
  overrides: Partial<CertificatesConfig> = {},
): CertificatesConfig {
  const problems: string[] = [];
  const { int } = envReader(env, problems);
  const config: CertificatesConfig = {
    port: int("PORT", int("CERTIFICATES_PORT", 4005, 0, 65535), 0, 65535),
    host: env.CERTIFICATES_HOST || env.HOST || "127.0.0.1",
    gatewayUrl: env.GATEWAY_URL || "http://127.0.0.1:4000/graphql",
    certificatesDir: env.CERTIFICATES_DIR || resolve(SCHEMA_DIR, "certificates"),
    mattersDir: env.MATTERS_DIR || resolve(SCHEMA_DIR, "matters"),
    maskingPath: env.MASKING_CONFIG || resolve(SCHEMA_DIR, "masking.yaml"),
    supergraph: { kind: "file", path: env.SUPERGRAPH_PATH || resolve(SCHEMA_DIR, "supergraph.graphql") },
    proofs: {
      issuer: env.PROOF_ISSUER || "onecert",
      keySecret: env.PROOF_KEY_SECRET || undefined,
      rotateAfterDays: int("PROOF_KEY_ROTATE_DAYS", 90, 1, 3650),
    },
    recheck: {
      intervalMs: int("RECHECK_INTERVAL_SECONDS", 300, 5, 86_400) * 1000,
      apiKey: env.RECHECK_API_KEY || undefined,
    },
    checkTimeoutMs: int("CHECK_TIMEOUT_MS", 15_000, 100, 600_000),
    ...overrides,
  };
  if (config.gatewayUrl && !/^https?:\/\/\S+$/.test(config.gatewayUrl))
    problems.push("GATEWAY_URL must be an http(s) URL");
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
