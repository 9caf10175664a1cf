import { createLogger, openDb, serverTlsFromEnv, subgraphTrustFromEnv } from "@onecert/subgraph-kit";
import { loadCertificatesConfig, startCertificates } from "@onecert/certificates";
import { certificatesConfigFor, certificatesSupergraphWatch } from "../dev/certificates-config";
import { loadGatewayConfig } from "@onecert/gateway";
import { UsageError } from "./options";
import { waitForShutdown } from "./signals";

/**
 * `onecert serve certificates`: the certificates subgraph alone. It shares the gateway's
 * database (proof keys, commitments, clients), so it needs PostgreSQL: an embedded database
 * serves one process. Port: PORT, then CERTIFICATES_PORT, default 4005. It believes the gateway's
 * hop keys from that database's keyring, or from GATEWAY_JWKS_URL / GATEWAY_JWKS_FILE when set;
 * TLS_CERT / TLS_KEY (and TLS_CLIENT_CA for mutual TLS) serve it over HTTPS.
 */
export async function serveCertificates(): Promise<number> {
  const gateway = loadGatewayConfig();
  if (!gateway.database.url) {
    throw new UsageError(
      "serve certificates needs the gateway's PostgreSQL database (GATEWAY_DATABASE_URL or DATABASE_URL); " +
        "`onecert start` runs everything on the embedded one",
    );
  }
  const config = await certificatesConfigFor(gateway, process.env, {
    port: loadCertificatesConfig().port,
    host: process.env.CERTIFICATES_HOST || process.env.HOST || "127.0.0.1",
  });
  const logger = createLogger("certificates");
  const external = process.env.GATEWAY_JWKS_URL || process.env.GATEWAY_JWKS_FILE;
  const trust = external ? subgraphTrustFromEnv(process.env, "certificates", logger) : undefined;
  const db = openDb({ url: gateway.database.url });
  try {
    const service = await startCertificates({
      db,
      config,
      logger,
      supergraph: certificatesSupergraphWatch(gateway, db),
      trust,
      tls: serverTlsFromEnv(process.env),
    });
    await waitForShutdown();
    await service.stop();
  } finally {
    trust?.close();
    await db.close();
  }
  return 0;
}
