import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import {
  closeServer,
  createLogger,
  formatError,
  headerValue,
  HEADERS,
  listen,
  requestIdOf,
  sendJson,
  serveGraphQL,
  type Db,
  type Logger,
} from "@onecert/subgraph-kit";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createAuthenticator, createIdentityStore, loadMaskingRules } from "@onecert/access";
import type { CertificatesContext } from "./api/context";
import { loadCatalogue, supergraphView } from "@onecert/catalogue";
import { startRecheckJob } from "./commitments/recheck";
import { createCommitmentStore } from "./commitments/store";
import type { CertificatesConfig, CertificatesSupergraph } from "./config";
import { gatewayClient, type Caller } from "./gateway-client";
import { migrateCertificates } from "./migrations";
import { createProofKeyStore } from "./proofs";
import { certificatesSubgraph } from "./schema";
import { createCertificatesService, type CertificatesService } from "./service";

export interface RunningCertificates {
  name: string;
  url: string;
  port: number;
  service: CertificatesService;
  /** Where checks send their data request, once the gateway's address is known. */
  setGatewayUrl(url: string): void;
  /** The key of the client the periodic re-check acts as, when it is known only after start. */
  setRecheckApiKey(key: string | undefined): void;
  /** Runs the periodic commitment re-check now (it needs RECHECK_API_KEY). */
  recheckNow(): Promise<unknown[]>;
  stop(): Promise<void>;
}

/** Tells the gateway which certificate types a request checked (extensions.certificates), for its audit trail. */
const reportChecked: ApolloServerPlugin<CertificatesContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== "single" || contextValue.checked.size === 0) return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, certificates: [...contextValue.checked].sort() };
      },
    };
  },
};

/** The supergraph the catalogue is checked against: the gateway's own, from its file or memory. */
async function supergraphSdl(source: CertificatesSupergraph): Promise<string> {
  return source.kind === "sdl" ? source.sdl : readFile(source.path, "utf8");
}

/**
 * Starts the certificates subgraph: validates the catalogue against the supergraph (a broken
 * definition stops the start, naming its file), prepares the proof key, and serves the API on
 * the loopback interface for the gateway.
 */
export async function startCertificates(options: {
  db: Db;
  config: CertificatesConfig;
  logger?: Logger;
}): Promise<RunningCertificates> {
  const { db, config } = options;
  const log = options.logger ?? createLogger("certificates");
  await migrateCertificates(db);
  const view = supergraphView(await supergraphSdl(config.supergraph));
  const catalogue = loadCatalogue({
    certificatesDir: config.certificatesDir,
    mattersDir: config.mattersDir,
    supergraph: view,
  });
  const keys = createProofKeyStore(db, {
    secret: config.proofs.keySecret,
    rotateAfterMs: config.proofs.rotateAfterDays * 86_400_000,
  });
  // A key that cannot be opened (encrypted, no secret) stops the start rather than the first proof.
  await keys.signingKey();
  if (!config.proofs.keySecret)
    log.warn("PROOF_KEY_SECRET is not set: proof signing keys are stored unencrypted");
  let gatewayUrl = config.gatewayUrl;
  let recheckApiKey = config.recheck.apiKey;
  const commitments = createCommitmentStore(db);
  const service = createCertificatesService({
    catalogue,
    supergraph: view,
    call: gatewayClient(() => gatewayUrl, config.checkTimeoutMs),
    keys,
    commitments,
    masking: loadMaskingRules(config.maskingPath),
    issuer: config.proofs.issuer,
  });
  const authenticator = createAuthenticator({ store: createIdentityStore(db), auth: config.auth });
  const { schema } = await certificatesSubgraph.buildSchema();
  const apollo = new ApolloServer<CertificatesContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [ApolloServerPluginInlineTraceDisabled(), reportChecked],
    // The command that started the service stops it; Apollo's own handler would kill the process mid-stop.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const job = startRecheckJob({
    deps: { catalogue, commitments, check: (items, caller) => service.checkItems(items, caller) },
    intervalMs: config.recheck.intervalMs,
    apiKey: () => recheckApiKey,
    log,
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health") return sendJson(res, 200, { status: "ok", service: certificatesSubgraph.name });
    if (path !== "/graphql" && path !== "/") return sendJson(res, 404, { error: "not found" });
    const requestId = requestIdOf(req);
    const caller: Caller = {
      authorization: headerValue(req.headers, "authorization"),
      apiKey: headerValue(req.headers, HEADERS.apiKey),
      operatorId: headerValue(req.headers, HEADERS.operator),
      matterCode: headerValue(req.headers, HEADERS.matter),
      caseNumber: headerValue(req.headers, HEADERS.caseNumber),
      checkToken: headerValue(req.headers, HEADERS.checkToken),
      requestId,
    };
    const context = async (): Promise<CertificatesContext> => ({
      requestId,
      log: log.child({ requestId }),
      caller,
      service,
      authenticate: () => authenticator.authenticate(req.headers),
      checked: new Set(),
    });
    serveGraphQL(apollo, req, res, context, { "x-request-id": requestId }).catch((error: unknown) => {
      log.error({ err: error, requestId }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "internal error" }] });
      else res.end();
    });
  });
  let address;
  try {
    address = await listen(server, config.port, config.host);
  } catch (error) {
    job.stop();
    await apollo.stop();
    throw error;
  }
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${address.port}/graphql`;
  log.info(
    { url, certificates: catalogue.certificates.size, matters: catalogue.matters.size },
    "certificates subgraph listening",
  );
  return {
    name: certificatesSubgraph.name,
    url,
    port: address.port,
    service,
    setGatewayUrl(next) {
      gatewayUrl = next;
    },
    setRecheckApiKey(key) {
      recheckApiKey = key;
    },
    recheckNow: () => job.runOnce(),
    async stop() {
      job.stop();
      await closeServer(server);
      await apollo.stop();
    },
  };
}
