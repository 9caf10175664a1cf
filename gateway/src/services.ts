import { migrate, openDb, type Db, type Logger } from "@onecert/subgraph-kit";
import { isObjectType, type GraphQLSchema } from "graphql";
import { createGrantStore, type GrantStore } from "./access/grants";
import {
  accessMigrations,
  ACCESS_SCHEMA,
  createAuthenticator,
  createIdentityStore,
  type Authenticator,
  type IdentityStore,
} from "./access/identity";
import { loadMaskingRules, type MaskingRules } from "./access/masking";
import { loadMatters, type MatterCatalogue } from "./access/matters";
import {
  createOperationStore,
  OPERATIONS_SCHEMA,
  operationMigrations,
  type OperationStore,
} from "./access/operations";
import type { GatewayConfig } from "./config";
import { createRateCounter, type RateCounter } from "./infra";

/** The stores and shared infrastructure the gateway's plugins and admin API work on. */
export interface GatewayServices {
  db: Db;
  identity: IdentityStore;
  authenticator: Authenticator;
  grants: GrantStore;
  operations: OperationStore;
  rateCounter: RateCounter;
  matters: MatterCatalogue;
  masking: MaskingRules;
  /** The API schema of the current supergraph, once loaded. */
  schema(): GraphQLSchema | undefined;
  setSchema(schema: GraphQLSchema): void;
  close(): Promise<void>;
}

/**
 * Opens the gateway's own database (unless one is given), applies its migrations and builds the
 * stores. Configuration files (matters, masking) are read here so a broken one stops the start.
 */
export async function openServices(
  config: GatewayConfig,
  logger: Logger,
  given?: Db,
): Promise<GatewayServices> {
  const db = given ?? openDb(config.database);
  try {
    await migrate(db, ACCESS_SCHEMA, accessMigrations);
    await migrate(db, OPERATIONS_SCHEMA, operationMigrations);
    const matters = loadMatters(config.mattersDir);
    const masking = loadMaskingRules(config.maskingPath);
    let schema: GraphQLSchema | undefined;
    const identity = createIdentityStore(db);
    const grants = createGrantStore(db, {
      fieldExists(name) {
        const [typeName, fieldName] = name.split(".");
        const type = typeName ? schema?.getType(typeName) : undefined;
        return isObjectType(type) && (fieldName === "*" || (!!fieldName && fieldName in type.getFields()));
      },
      matterExists: (code) => matters.get(code) !== undefined,
    });
    const rateCounter = createRateCounter({ redisUrl: config.redisUrl, logger });
    return {
      db,
      identity,
      authenticator: createAuthenticator({ store: identity, auth: config.auth }),
      grants,
      operations: createOperationStore(db),
      rateCounter,
      matters,
      masking,
      schema: () => schema,
      setSchema: (next) => {
        schema = next;
      },
      async close() {
        await rateCounter.close();
        if (!given) await db.close();
      },
    };
  } catch (error) {
    if (!given) await db.close();
    throw error;
  }
}
