import {
  createKeyring,
  HEADERS,
  KEY_PURPOSES,
  KEYRING_SCHEMA,
  keyringMigrations,
  migrate,
  openDb,
  type Db,
  type Keyring,
  type Logger,
} from "@onecert/subgraph-kit";
import { createScheduler, type Scheduler } from "@onecert/subgraph-kit/scheduler";
import { isObjectType, type GraphQLSchema } from "graphql";
import {
  createGrantStore,
  type GrantStore,
  accessMigrations,
  ACCESS_SCHEMA,
  createAuthenticator,
  createIdentityStore,
  type Authenticator,
  type IdentityStore,
  loadMaskingRules,
  type MaskingRules,
  type MatterCatalogue,
  createOperationStore,
  OPERATIONS_SCHEMA,
  operationMigrations,
  type OperationStore,
  createDepartmentStore,
  departmentMigrations,
  DEPARTMENTS_SCHEMA,
  SHIPPED_DEPARTMENTS,
  type DepartmentStore,
  createUserStore,
  userMigrations,
  USERS_SCHEMA,
  type UserStore,
} from "@onecert/access";
import { openAuditTrail, type AuditTrail } from "@onecert/audit";
import { openGatewayCache, type GatewayCache } from "./cache";
import { catalogueProblemsOffThread } from "@onecert/catalogue";
import { openGatewayCatalogue, type GatewayCatalogue } from "./live-catalogue";
import { onBehalfGate, type OnBehalfGate } from "./hop/on-behalf";
import { createHop, type Hop } from "./hop/seam";
import { createHopSigner } from "./hop/sign";
import type { GatewayConfig } from "./config";
import { createRateCounter, type RateCounter } from "./infra";
import {
  createUsageRecorder,
  USAGE_SCHEMA,
  usageMigrations,
  type UsageRecorder,
  openRegistry,
  type Registry,
  type SubgraphPost,
} from "@onecert/schema-registry";
import { randomUUID } from "node:crypto";
import { subgraphClient } from "./hop/http-client";

/** The stores and shared infrastructure the gateway's plugins and admin API work on. */
export interface GatewayServices {
  db: Db;
  identity: IdentityStore;
  /** The departments directory every client, subgraph and matter must name a department of. */
  departments: DepartmentStore;
  authenticator: Authenticator;
  /** The web console's users and their sessions. */
  users: UserStore;
  grants: GrantStore;
  operations: OperationStore;
  rateCounter: RateCounter;
  /** The gateway's hop: every call to a subgraph signed, what comes back read. */
  hop: Hop;
  /** The gateway's hop signing keys, published as a JWKS for the subgraphs. */
  hopKeys: Keyring;
  /** Which service may act on behalf of which request. */
  onBehalf: OnBehalfGate;
  /** The live matters (every read sees the catalogue in service at that moment). */
  matters: MatterCatalogue;
  /** The live catalogue: its versions, their review, and what this replica serves. */
  catalogue: GatewayCatalogue;
  masking: MaskingRules;
  /** Field usage per client and day, what the registry's breaking-change check reads. */
  usage: UsageRecorder;
  /** The department registry: subgraphs, checks, versions, health. */
  registry: Registry;
  /** Entity, response and persisted-query caches, and what invalidates them. */
  cache: GatewayCache;
  /** The audit trail; null only in the benchmark's comparison gateway (startGateway's `withoutAudit`). */
  audit: AuditTrail | null;
  /** Proof signing keys: the JWKS and the admin API's rotation (PROOF_KEY_SECRET encrypts them). */
  proofKeys: Keyring;
  /**
   * The periodic jobs shared with the other replicas on this database (audit retention, usage
   * pruning): started by startGateway once everything else is up, stopped first by close().
   */
  scheduler: Scheduler;
  /** The API schema of the current supergraph, once loaded. */
  schema(): GraphQLSchema | undefined;
  /** The API schema and the supergraph SDL it came from, at each load or update. */
  setSchema(schema: GraphQLSchema, supergraphSdl: string): void;
  close(): Promise<void>;
}

/** How the gateway's scheduled jobs run, over what the configuration says. */
export interface JobSettings {
  /** Periods by job name ("audit-retention", "usage-prune"), ms. Default: daily for both. */
  periods?: Partial<Record<string, number>>;
  /** The scheduler's longest wait between looks at the schedule. Default 10000 ms. */
  pollMs?: number;
  /** How long a replica that died mid-run holds its job. Default 60000 ms. */
  leaseMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Opens the gateway's own database (unless one is given), applies its migrations and builds the
 * stores. Configuration files (matters, masking) are read here so a broken one stops the start.
 */
export async function openServices(
  config: GatewayConfig,
  logger: Logger,
  given?: Db,
  options: {
    withoutAudit?: boolean;
    withoutHopSigning?: boolean;
    jobs?: JobSettings;
    /** How often the live catalogue's generation is read. Default 1000 ms. */
    cataloguePollMs?: number;
  } = {},
): Promise<GatewayServices> {
  const db = given ?? openDb(config.database);
  let audit: AuditTrail | null = null;
  let catalogue: GatewayCatalogue | undefined;
  // One per process, on the gateway's database: the replicas sharing it share the schedule.
  const scheduler = createScheduler({
    db,
    owner: config.audit.replica,
    logger,
    pollMs: options.jobs?.pollMs,
    leaseMs: options.jobs?.leaseMs,
  });
  const period = (name: string) => options.jobs?.periods?.[name] ?? DAY_MS;
  try {
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    await migrate(db, OPERATIONS_SCHEMA, operationMigrations);
    await migrate(db, KEYRING_SCHEMA, keyringMigrations);
    await migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations);
    await migrate(db, USERS_SCHEMA, userMigrations);
    const departments = createDepartmentStore(db);
    // Existing setups name these already: they keep working without anyone adding them.
    await departments.seed(SHIPPED_DEPARTMENTS);
    // The audit trail's writer thread opens its own handle next to (or apart from) this database.
    if (!options.withoutAudit)
      audit = await openAuditTrail({
        db,
        config: config.audit,
        logger,
        scheduler,
        retentionPeriodMs: period("audit-retention"),
      });
    // The live catalogue in this database, seeded from the YAML files on the first start; the
    // same strict reading as `onecert catalogue import` (unknown keys refused with file and line).
    catalogue = await openGatewayCatalogue({
      db,
      departments,
      logger,
      mattersDir: config.mattersDir,
      certificatesDir: config.certificatesDir,
      supergraphSdl: () => supergraphSdl,
      pollMs: options.cataloguePollMs,
    });
    const live = catalogue;
    const matters = live.matters;
    const masking = loadMaskingRules(config.maskingPath);
    let schema: GraphQLSchema | undefined;
    let supergraphSdl: string | null = null;
    const identity = createIdentityStore(db);
    const grants = createGrantStore(db, {
      fieldExists(name) {
        const [typeName, fieldName] = name.split(".");
        const type = typeName ? schema?.getType(typeName) : undefined;
        return isObjectType(type) && (fieldName === "*" || (!!fieldName && fieldName in type.getFields()));
      },
      matterExists: (code) => matters.get(code) !== undefined,
    });
    await migrate(db, USAGE_SCHEMA, usageMigrations);
    const usage = createUsageRecorder({
      db,
      flushIntervalMs: config.registry.usageFlushMs,
      retentionDays: config.registry.usageRetentionDays,
      logger,
      scheduler,
      pruneIntervalMs: period("usage-prune"),
    });
    const hopKeys = createKeyring(db, {
      purpose: KEY_PURPOSES.hop,
      suite: config.cryptoSuite,
      secret: config.hop.keySecret,
      secretName: "HOP_KEY_SECRET",
      rotateAfterMs: config.hop.rotateAfterDays * 86_400_000,
    });
    // A key that cannot be opened (encrypted, no secret) stops the start, not the first request.
    await hopKeys.signingKey();
    const hop = createHop({
      signer: options.withoutHopSigning
        ? null
        : createHopSigner({
            keyring: hopKeys,
            issuer: config.hop.issuer,
            ttlSeconds: config.hop.ttlSeconds,
          }),
      trusted: config.trustedSubgraphs,
    });
    // The registry's probes and introspection are signed like any other call to a subgraph.
    const probeClient = subgraphClient({ timeoutMs: 10_000, tls: config.hop.tls });
    const post: SubgraphPost = (name, url, body, timeoutMs) =>
      hop.signing(name, probeClient)(url, {
        method: "POST",
        headers: { "content-type": "application/json", [HEADERS.requestId]: `probe-${randomUUID()}` },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    const registry = await openRegistry({
      db,
      config: config.registry,
      enabled: config.supergraph.kind === "registry",
      matters,
      // The live catalogue, off the serving thread like composition: a publish under load stalls no request.
      catalogue: async (sdl) => catalogueProblemsOffThread(await live.texts(), sdl),
      catalogueStamp: () => live.generation(),
      grantedFields: (department) => grants.departmentFields(department),
      redisUrl: config.redisUrl,
      usage,
      clientName: async (id) => (await identity.cachedClient(id))?.name ?? null,
      reserved: (name) => config.trustedSubgraphs.includes(name),
      urlInUse: (name, registered) => config.subgraphUrls[name] ?? registered,
      post,
      logger,
    });
    const rateCounter = createRateCounter({ redisUrl: config.redisUrl, logger });
    const cache = openGatewayCache(config.cache, { redisUrl: config.redisUrl, logger });
    return {
      db,
      identity,
      departments,
      authenticator: createAuthenticator({ store: identity, auth: config.auth }),
      users: createUserStore(db, { identity, departments }),
      grants,
      operations: createOperationStore(db),
      rateCounter,
      hop,
      hopKeys,
      onBehalf: onBehalfGate({
        keyring: hopKeys,
        identity,
        trusted: config.trustedSubgraphs,
        issuer: config.hop.issuer,
      }),
      matters,
      catalogue: live,
      masking,
      usage,
      registry,
      cache,
      audit,
      proofKeys: createKeyring(db, {
        purpose: KEY_PURPOSES.proof,
        secret: config.proofKeySecret,
        suite: config.cryptoSuite,
      }),
      scheduler,
      schema: () => schema,
      setSchema: (next, sdl) => {
        schema = next;
        supergraphSdl = sdl;
      },
      async close() {
        // A job in progress finishes before the trail and the recorder it works on close.
        await scheduler.stop();
        await audit?.close();
        await usage.close();
        await registry.close();
        await rateCounter.close();
        await cache.close();
        live.close();
        probeClient.close();
        if (!given) await db.close();
      },
    };
  } catch (error) {
    catalogue?.close();
    await audit?.close();
    if (!given) await db.close();
    throw error;
  }
}
