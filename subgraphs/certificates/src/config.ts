import {
  ConfigError,
  cryptoSuiteFromEnv,
  defineSettings,
  env as value,
  SCHEMA_DIR,
  setting,
  withDefault,
  type CryptoSuite,
  type Env,
} from "@onecert/subgraph-kit";
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
    /** The suite new proof keys are made in: Env CRYPTO_SUITE (standard, national), default standard. */
    suite: CryptoSuite;
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

export const CERTIFICATES_SETTINGS = defineSettings("certificates", {
  PORT: setting(
    value.integer(0, 65535),
    "listening port (before `CERTIFICATES_PORT`)",
    "`CERTIFICATES_PORT`",
  ),
  CERTIFICATES_PORT: withDefault(value.integer(0, 65535), 4005, "the certificates service port"),
  CERTIFICATES_HOST: setting(value.text(), "interface to bind", "`HOST`, else `127.0.0.1`"),
  HOST: withDefault(value.text(), "127.0.0.1", "interface to bind"),
  GATEWAY_URL: withDefault(
    value.httpUrl(),
    "http://127.0.0.1:4000/graphql",
    "where checks send their data request",
  ),
  CERTIFICATES_DIR: setting(value.text(), "certificate types, one YAML file each", "`schema/certificates`"),
  MATTERS_DIR: setting(value.text(), "matter definitions", "`schema/matters`"),
  MASKING_CONFIG: setting(value.text(), "masking patterns", "`schema/masking.yaml`"),
  SUPERGRAPH_PATH: setting(value.text(), "the composed supergraph", "`schema/supergraph.graphql`"),
  PROOF_ISSUER: withDefault(value.text(), "onecert", "`iss` of proofs, checked on verification"),
  PROOF_KEY_SECRET: setting(value.text(), "encrypts the proof signing keys at rest", "unset"),
  PROOF_KEY_ROTATE_DAYS: withDefault(
    value.integer(1, 3650),
    90,
    "age at which a new signing key replaces the active one",
  ),
  RECHECK_INTERVAL_SECONDS: withDefault(
    value.integer(5, 86_400),
    300,
    "how often pending commitments are checked again",
  ),
  RECHECK_API_KEY: setting(
    value.text(),
    "key of the client the periodic commitment re-check runs as",
    "unset",
  ),
  CHECK_TIMEOUT_MS: withDefault(value.integer(100, 600_000), 15_000, "limit on a check's data request"),
});

/** Reads the certificates configuration from the environment, reporting every problem at once. */
export function loadCertificatesConfig(
  env: Env = process.env,
  overrides: Partial<CertificatesConfig> = {},
): CertificatesConfig {
  const problems: string[] = [];
  const read = CERTIFICATES_SETTINGS.read(env, problems);
  const config: CertificatesConfig = {
    port: read.PORT ?? read.CERTIFICATES_PORT,
    host: read.CERTIFICATES_HOST ?? read.HOST,
    gatewayUrl: read.GATEWAY_URL,
    certificatesDir: read.CERTIFICATES_DIR ?? resolve(SCHEMA_DIR, "certificates"),
    mattersDir: read.MATTERS_DIR ?? resolve(SCHEMA_DIR, "matters"),
    maskingPath: read.MASKING_CONFIG ?? resolve(SCHEMA_DIR, "masking.yaml"),
    supergraph: { kind: "file", path: read.SUPERGRAPH_PATH ?? resolve(SCHEMA_DIR, "supergraph.graphql") },
    proofs: {
      issuer: read.PROOF_ISSUER,
      keySecret: read.PROOF_KEY_SECRET,
      rotateAfterDays: read.PROOF_KEY_ROTATE_DAYS,
      suite: cryptoSuiteFromEnv(env, problems),
    },
    recheck: {
      intervalMs: read.RECHECK_INTERVAL_SECONDS * 1000,
      apiKey: read.RECHECK_API_KEY,
    },
    checkTimeoutMs: read.CHECK_TIMEOUT_MS,
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
