import { ConfigError, type AuthConfig, type GatewayConfig } from "../config";
import type { SupergraphSourceConfig } from "../supergraph";
import { envReader } from "../env";

/** Everything the certificates service needs; built once at start. */
export interface CertificatesConfig {
  /** Env CERTIFICATES_PORT, default 4005; 0 picks a free one. */
  port: number;
  /** Bound to the loopback interface: only the gateway calls it. Env CERTIFICATES_HOST, default 127.0.0.1. */
  host: string;
  /** Where checks send their data request. Env GATEWAY_URL, default http://127.0.0.1:4000/graphql. */
  gatewayUrl?: string;
  /** Certificate types. Env CERTIFICATES_DIR, default schema/certificates. */
  certificatesDir: string;
  mattersDir: string;
  maskingPath: string;
  supergraph: SupergraphSourceConfig;
  /** To authenticate the forwarded credential, as the gateway does. */
  auth: AuthConfig;
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

/** Reads the certificates configuration, sharing the gateway's catalogue, masking, supergraph and auth. */
export function loadCertificatesConfig(
  gateway: GatewayConfig,
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<CertificatesConfig> = {},
): CertificatesConfig {
  const problems: string[] = [];
  const { int } = envReader(env, problems);
  const config: CertificatesConfig = {
    port: int("CERTIFICATES_PORT", 4005, 0, 65535),
    host: env.CERTIFICATES_HOST || "127.0.0.1",
    gatewayUrl: env.GATEWAY_URL || `http://127.0.0.1:${gateway.port || 4000}/graphql`,
    certificatesDir: gateway.certificatesDir,
    mattersDir: gateway.mattersDir,
    maskingPath: gateway.maskingPath,
    supergraph: gateway.supergraph,
    auth: gateway.auth,
    proofs: {
      issuer: env.PROOF_ISSUER || "onecert",
      keySecret: gateway.proofKeySecret,
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
