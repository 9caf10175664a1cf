import "reflect-metadata";
import { buildSubgraphSchema, printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type NonEmptyArray } from "type-graphql";
import { SHARE_DIRECTIVE_SDL, SHARE_SPEC_URL } from "./share";

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
      printSchemaWithDirectives(typeSchema),
  );
  const resolvers = createResolversMap(typeSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(options.references ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    resolvers[typeName] = { ...existing, __resolveReference: resolveReference } as never;
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return { schema, sdl: printSubgraphSchema(schema) };
}
