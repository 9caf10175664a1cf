import { loadCertificatesConfig, type CertificatesConfig } from "@onecert/certificates";
import type { GatewayConfig } from "@onecert/gateway";
import { composeRegistries, registrySupergraph, registryVersion } from "@onecert/schema-registry";
import { readFile } from "node:fs/promises";
import type { Db, Env } from "@onecert/subgraph-kit";
import { SUBGRAPHS, defaultUrl } from "./registries";

/**
 * The certificates service's configuration beside a gateway in the same stack: the same
 * catalogue, masking rules, supergraph, JWT settings and proof key secret as `gateway`, so a
 * check is judged against what the gateway serves. A live supergraph is composed here.
 */
export async function certificatesConfigFor(
  gateway: GatewayConfig,
  env: Env = process.env,
  overrides: Partial<CertificatesConfig> = {},
): Promise<CertificatesConfig> {
  const source = gateway.supergraph;
  const supergraph: CertificatesConfig["supergraph"] =
    source.kind === "sdl"
      ? source
      : source.kind === "live"
        ? { kind: "sdl", sdl: (await composeRegistries(SUBGRAPHS, defaultUrl)).supergraphSdl }
        : { kind: "file", path: source.path };
  const base = loadCertificatesConfig(env);
  return {
    ...base,
    certificatesDir: gateway.certificatesDir,
    mattersDir: gateway.mattersDir,
    maskingPath: gateway.maskingPath,
    supergraph,
    // Beside the gateway, PORT and HOST are the gateway's: the service stays on the loopback.
    host: env.CERTIFICATES_HOST || "127.0.0.1",
    gatewayUrl: env.GATEWAY_URL || `http://127.0.0.1:${gateway.port || 4000}/graphql`,
    // The gateway's suite too: both make proof keys in the one keyring, so they must agree.
    proofs: { ...base.proofs, keySecret: gateway.proofKeySecret, suite: gateway.cryptoSuite },
    ...overrides,
  };
}

/**
 * What the certificates service checks its catalogue against when the gateway serves its
 * department registry: the registry's current supergraph (a department's new subgraph included),
 * or the bootstrap file until the registry holds a version. Undefined for the other sources.
 */
export function certificatesSupergraphWatch(gateway: GatewayConfig, db: Db) {
  const source = gateway.supergraph;
  if (source.kind !== "registry") return undefined;
  return {
    stamp: async () => String(await registryVersion(db)),
    sdl: async () => (await registrySupergraph(db))?.sdl ?? readFile(source.path, "utf8"),
  };
}
