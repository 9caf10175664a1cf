import { readFileSync } from "node:fs";
import { ConfigError, defineSettings, setting, type Env } from "../settings";
import { httpUrl, text } from "../settings/values";
import type { Logger } from "../logger";
import { connectRedis } from "../redis";
import type { SubgraphServerTls, SubgraphTrust } from "../server";
import { hopKeySource } from "./keys";
import { redisReplayGuard } from "./replay";

/** What a subgraph run on its own reads: whom it believes, and its own TLS. */
export const SUBGRAPH_TRUST_SETTINGS = defineSettings("subgraph trust", {
  GATEWAY_JWKS_URL: setting(httpUrl(), "the gateway's `/.well-known/onecert-gateway-jwks.json`", "unset"),
  GATEWAY_JWKS_FILE: setting(text(), "the same keys from a file, instead of the URL", "unset"),
  HOP_ISSUER: setting(
    text(),
    "`iss` of the hop assertions; subgraphs accept only this issuer",
    "`onecert-gateway`",
  ),
  REDIS_URL: setting(
    text(),
    "where a subgraph's replicas share the ids of the assertions already used",
    "unset",
  ),
  TLS_CERT: setting(text(), "PEM file: serve HTTPS", "unset: plain HTTP"),
  TLS_KEY: setting(text(), "PEM file: the key of `TLS_CERT`", "unset"),
  TLS_CLIENT_CA: setting(text(), "PEM file: require a client certificate of this CA (mutual TLS)", "unset"),
});

function readTrust(env: Env) {
  const problems: string[] = [];
  const read = SUBGRAPH_TRUST_SETTINGS.read(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return read;
}

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
  const settings = readTrust(env);
  const jwks = settings.GATEWAY_JWKS_URL ?? settings.GATEWAY_JWKS_FILE;
  if (!jwks) {
    throw new ConfigError([
      "GATEWAY_JWKS_URL (the gateway's /.well-known/onecert-gateway-jwks.json) or GATEWAY_JWKS_FILE is required: " +
        "this service serves only requests the gateway signed",
    ]);
  }
  const redis = settings.REDIS_URL ? connectRedis(settings.REDIS_URL, logger) : undefined;
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
    issuer: settings.HOP_ISSUER,
    close: () => redis?.disconnect(),
  };
}

/** HTTPS for a subgraph run on its own: TLS_CERT and TLS_KEY (files), TLS_CLIENT_CA to require the gateway's client certificate. */
export function serverTlsFromEnv(env: Env): SubgraphServerTls | undefined {
  const { TLS_CERT, TLS_KEY, TLS_CLIENT_CA } = readTrust(env);
  if (!TLS_CERT && !TLS_KEY) return undefined;
  if (!TLS_CERT || !TLS_KEY) throw new ConfigError(["TLS_CERT and TLS_KEY go together"]);
  const read = (path: string) => readFileSync(path, "utf8");
  return { cert: read(TLS_CERT), key: read(TLS_KEY), ca: TLS_CLIENT_CA ? read(TLS_CLIENT_CA) : undefined };
}
