import { readFileSync } from "node:fs";
import { ConfigError, type Env } from "../env";
import type { Logger } from "../logger";
import { connectRedis } from "../redis";
import type { SubgraphServerTls, SubgraphTrust } from "../server";
import { hopKeySource } from "./keys";
import { redisReplayGuard } from "./replay";

/**
 * Whom a subgraph run on its own believes, from the environment: the gateway's keys from
 * GATEWAY_JWKS_URL (its /.well-known/onecert-gateway-jwks.json) or GATEWAY_JWKS_FILE, the issuer
 * HOP_ISSUER (default onecert-gateway), and with REDIS_URL a replay memory every replica shares.
 * One of the two key settings is required: a subgraph without them would serve no one.
 */
export function subgraphTrustFromEnv(
  env: Env,
  audience: string,
  logger: Logger,
): SubgraphTrust & { close(): void } {
  const jwks = env.GATEWAY_JWKS_URL || env.GATEWAY_JWKS_FILE;
  if (!jwks) {
    throw new ConfigError([
      "GATEWAY_JWKS_URL (the gateway's /.well-known/onecert-gateway-jwks.json) or GATEWAY_JWKS_FILE is required: " +
        "this service serves only requests the gateway signed",
    ]);
  }
  const redis = env.REDIS_URL ? connectRedis(env.REDIS_URL, logger) : undefined;
  let warned = false;
  const replay = redis
    ? redisReplayGuard({
        redis,
        audience,
        onDegraded: (error) => {
          if (!warned)
            logger.warn(
              { err: error },
              "redis unavailable: assertion ids are remembered by this replica only",
            );
          warned = true;
        },
      })
    : undefined;
  return {
    keys: hopKeySource({ jwks }),
    replay,
    issuer: env.HOP_ISSUER || undefined,
    close: () => redis?.disconnect(),
  };
}

/** HTTPS for a subgraph run on its own: TLS_CERT and TLS_KEY (files), TLS_CLIENT_CA to require the gateway's client certificate. */
export function serverTlsFromEnv(env: Env): SubgraphServerTls | undefined {
  if (!env.TLS_CERT && !env.TLS_KEY) return undefined;
  if (!env.TLS_CERT || !env.TLS_KEY) throw new ConfigError(["TLS_CERT and TLS_KEY go together"]);
  const read = (path: string) => readFileSync(path, "utf8");
  return {
    cert: read(env.TLS_CERT),
    key: read(env.TLS_KEY),
    ca: env.TLS_CLIENT_CA ? read(env.TLS_CLIENT_CA) : undefined,
  };
}
