import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import {
  closeServer,
  createAccessLog,
  createHopVerifier,
  createKeyring,
  createLogger,
  formatError,
  KEY_PURPOSES,
  keyringKeySource,
  listen,
  memoryReplayGuard,
  migrate,
  requestIdOf,
  sendJson,
  serveVerified,
  type Db,
  type HopContext,
  type Logger,
  type SubgraphServerTls,
  type SubgraphTrust,
} from "@onecert/subgraph-kit";
import { createScheduler, type Scheduler } from "@onecert/subgraph-kit/scheduler";
import { hostname } from "node:os";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { serveTraced } from "@onecert/subgraph-kit/tracing";
import { ACCESS_SCHEMA, accessMigrations, createIdentityStore, loadMaskingRules } from "@onecert/access";
import type { CertificatesContext } from "./api/context";
import { fixedSupergraph, liveCatalogue, type SupergraphWatch } from "./live";
import { defineRecheckJob } from "./commitments/recheck";
import { createCommitmentStore } from "./commitments/store";
import { createCheckStats } from "./stats/recorder";
import type { CertificatesConfig } from "./config";
import { gatewayClient } from "./gateway-client";
import { CERTIFICATES_SCHEMA, migrateCertificates } from "./migrations";
import { createProofKeyStore } from "./proofs";
import { certificatesSubgraph } from "./schema";
import { createCertificatesService, type CertificatesService } from "./service";

export interface RunningCertificates {
  name: string;
  url: string;
  port: number;
  /** The service of the catalogue in force now (it changes when a catalogue version is published). */
  readonly service: CertificatesService;
  /** The live catalogue's generation this service serves. */
  catalogueGeneration(): number;
  /** Reads the live catalogue and the supergraph now, and switches when either changed. */
  refreshCatalogue(): Promise<void>;
  /** Where checks send their data request, once the gateway's address is known. */
  setGatewayUrl(url: string): void;
  /** The key of the client the periodic re-check acts as, when it is known only after start. */
  setRecheckApiKey(key: string | undefined): void;
  /** Runs the periodic commitment re-check now (it needs RECHECK_API_KEY). */
  recheckNow(): Promise<unknown[]>;
  /** The periodic jobs (the commitment re-check), shared with the other replicas on this database. */
  scheduler: Scheduler;
  /** Waits for a scheduled job in progress, then stops serving; once. */
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

/**
 * Starts the certificates subgraph: validates the catalogue against the supergraph (a broken
 * definition stops the start, naming its file), prepares the proof key, and serves the API on
 * the loopback interface for the gateway.
 */
export async function startCertificates(options: {
  db: Db;
  config: CertificatesConfig;
  /** Only the gateway's signed requests are served: its keys (default: its keyring in this database). */
  trust?: SubgraphTrust;
  tls?: SubgraphServerTls;
  logger?: Logger;
  /** This replica's name in the scheduled jobs' leases and history. Default host:pid. */
  replica?: string;
  /**
   * The supergraph the catalogue is checked against, when it changes at run time (the gateway's
   * department registry). Default: `config.supergraph`, read once.
   */
  supergraph?: SupergraphWatch;
  /** How often the live catalogue and the supergraph are looked at. Default 1000 ms. */
  cataloguePollMs?: number;
}): Promise<RunningCertificates> {
  const { db, config } = options;
  const log = options.logger ?? createLogger("certificates");
  await migrateCertificates(db);
  await migrate(db, ACCESS_SCHEMA, accessMigrations);
  // This service's own credential for calling the gateway back: a service client it keeps a fresh key of.
  const identity = createIdentityStore(db);
  const issueServiceKey = () =>
    identity.serviceKey(certificatesSubgraph.name, certificatesSubgraph.department);
  let serviceKey = (await issueServiceKey()).apiKey;
  // Not a shared scheduled job: each replica holds its own key in memory, and a key renewed by
  // another replica would leave this one's to expire.
  const renewal = setInterval(() => {
    issueServiceKey().then(
      (issued) => {
        serviceKey = issued.apiKey;
      },
      (error: unknown) =>
        log.error({ err: error }, "renewing this service's key failed; the current one stays"),
    );
  }, 12 * 3_600_000);
  renewal.unref();
  const keys = createProofKeyStore(db, {
    secret: config.proofs.keySecret,
    rotateAfterMs: config.proofs.rotateAfterDays * 86_400_000,
    suite: config.proofs.suite,
  });
  // A key that cannot be opened (encrypted, no secret) stops the start rather than the first proof.
  await keys.signingKey();
  if (!config.proofs.keySecret)
    log.warn("PROOF_KEY_SECRET is not set: proof signing keys are stored unencrypted");
  let gatewayUrl = config.gatewayUrl;
  let recheckApiKey = config.recheck.apiKey;
  const commitments = createCommitmentStore(db);
  const stats = createCheckStats(db, log);
  const masking = loadMaskingRules(config.maskingPath);
  const call = gatewayClient(
    () => gatewayUrl,
    config.checkTimeoutMs,
    () => serviceKey,
  );
  // The catalogue in force is the live one in the gateway's database, checked against the
  // supergraph served now: a publish of either reaches this service within about a second.
  const live = await liveCatalogue({
    db,
    dirs: { certificatesDir: config.certificatesDir, mattersDir: config.mattersDir },
    supergraph: options.supergraph ?? fixedSupergraph(config.supergraph),
    pollMs: options.cataloguePollMs,
    logger: log,
    build: (catalogue, supergraph) =>
      createCertificatesService({
        catalogue,
        supergraph,
        call,
        keys,
        commitments,
        masking,
        stats,
        issuer: config.proofs.issuer,
      }),
  });
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
  const scheduler = createScheduler({
    db,
    owner: options.replica ?? `${hostname()}:${process.pid}`,
    logger: log,
  });
  const job = defineRecheckJob({
    deps: {
      get catalogue() {
        return live.current().catalogue;
      },
      commitments,
      check: (items, caller) => live.current().checkItems(items, caller),
    },
    scheduler,
    intervalMs: config.recheck.intervalMs,
    apiKey: () => recheckApiKey,
    log,
  });

  // A matter the gateway already serves may have been published since this service's last look:
  // it looks again rather than answer that the matter does not exist.
  const serviceFor = async (matterCode: string | null) => {
    if (matterCode && !live.current().catalogue.matters.has(matterCode)) await live.refresh();
    return live.current();
  };
  const trust = options.trust ?? { keys: keyringKeySource(createKeyring(db, { purpose: KEY_PURPOSES.hop })) };
  const replay = trust.replay ?? memoryReplayGuard();
  const serving = {
    apollo,
    verifier: createHopVerifier({
      audience: certificatesSubgraph.name,
      keys: trust.keys,
      replay,
      issuer: trust.issuer,
    }),
    accessLog: createAccessLog(db, CERTIFICATES_SCHEMA, log),
    log,
    context: async (hop: HopContext, requestId: string): Promise<CertificatesContext> => ({
      service: await serviceFor(hop.matterCode),
      requestId,
      log: log.child({ requestId, assertion: hop.id }),
      hop,
      caller: {
        assertion: hop.token,
        client: hop.client,
        operatorId: hop.operatorId,
        matterCode: hop.matterCode,
        caseNumber: hop.caseNumber,
        requestId,
      },
      checked: new Set(),
    }),
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health") return sendJson(res, 200, { status: "ok", service: certificatesSubgraph.name });
    if (path !== "/graphql" && path !== "/") return sendJson(res, 404, { error: "not found" });
    const requestId = requestIdOf(req);
    serveTraced("onecert-certificates", "/graphql", req, res, () => {
      serveVerified(serving, req, res, requestId).catch((error: unknown) => {
        log.error({ err: error, requestId }, "request failed");
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "internal error" }] });
        else res.end();
      });
    });
  };
  const tls = options.tls;
  const server = tls
    ? createTlsServer(
        { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: !!tls.ca, rejectUnauthorized: !!tls.ca },
        handler,
      )
    : createServer(handler);
  let address;
  try {
    address = await listen(server, config.port, config.host);
    await scheduler.start();
  } catch (error) {
    await scheduler.stop();
    await closeServer(server).catch(() => undefined);
    clearInterval(renewal);
    live.stop();
    await apollo.stop();
    throw error;
  }
  const url = `${tls ? "https" : "http"}://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${address.port}/graphql`;
  const { catalogue } = live.current();
  log.info(
    { url, certificates: catalogue.certificates.size, matters: catalogue.matters.size },
    "certificates subgraph listening",
  );
  let stopping: Promise<void> | undefined;
  return {
    name: certificatesSubgraph.name,
    url,
    port: address.port,
    get service() {
      return live.current();
    },
    catalogueGeneration: () => live.generation(),
    refreshCatalogue: () => live.refresh(),
    setGatewayUrl(next) {
      gatewayUrl = next;
    },
    setRecheckApiKey(key) {
      recheckApiKey = key;
    },
    recheckNow: () => job.runOnce(),
    scheduler,
    stop() {
      stopping ??= (async () => {
        await scheduler.stop();
        clearInterval(renewal);
        live.stop();
        await closeServer(server);
        await stats.close();
        await apollo.stop();
        await serving.accessLog.close();
        await replay.close();
      })();
      return stopping;
    },
  };
}
