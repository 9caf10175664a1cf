import "reflect-metadata";
import { buildSubgraphSchema, printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type NonEmptyArray } from "type-graphql";
import { CACHE_CONTROL_DIRECTIVE_SDL, CACHE_CONTROL_SPEC_URL } from "./cache-control";
import { SHARE_DIRECTIVE_SDL, SHARE_SPEC_URL, stampShareOwner } from "./share";

/** Federation directives every registry may use. */
export const FEDERATION_IMPORTS = [
  "@key",
  "@shareable",
  "@external",
  "@tag",
  "@inaccessible",
  "@composeDirective",
];

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  references?: Record<string, (reference: never, context: never) => unknown>;
  /** Directives imported from the federation spec. Default FEDERATION_IMPORTS. */
  imports?: string[];
  /** The department that owns the subgraph's data; recorded in each @share as its owner. */
  department?: string;
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as composition sees it (with @link), for `schema/<name>.graphql`. */
  sdl: string;
}

/**
 * Builds a Federation 2 subgraph from type-graphql classes: type-graphql makes the types,
 * @apollo/subgraph adds _entities/_service, and the reference resolvers are merged in.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const typeSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  const imports = (options.imports ?? FEDERATION_IMPORTS).map((name) => JSON.stringify(name)).join(", ");
  const typeDefs = parse(
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports}])\n` +
      `  @link(url: "${SHARE_SPEC_URL}", import: ["@share"])\n  @composeDirective(name: "@share")\n` +
      `${SHARE_DIRECTIVE_SDL}\n` +
      `extend schema @link(url: "${CACHE_CONTROL_SPEC_URL}", import: ["@cacheControl", "CacheControlScope"])\n` +
      `  @composeDirective(name: "@cacheControl")\n${CACHE_CONTROL_DIRECTIVE_SDL}\n` +
      (options.department
        ? stampShareOwner(printSchemaWithDirectives(typeSchema), options.department)
        : printSchemaWithDirectives(typeSchema)),
  );
  const resolvers = createResolversMap(typeSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(options.references ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    resolvers[typeName] = { ...existing, __resolveReference: resolveReference } as never;
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return { schema, sdl: printSubgraphSchema(schema) };
}
