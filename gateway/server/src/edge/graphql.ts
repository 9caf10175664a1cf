import type { ApolloServer } from "@apollo/server";
import { fastifyApolloHandler } from "@as-integrations/fastify";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayContext } from "../context";

/**
 * Serves GraphQL at /graphql (and /) through Apollo's Fastify integration. Bodies that are not
 * JSON are handed to Apollo as text, so its own checks (CSRF prevention, "POST body missing")
 * answer them as they always have.
 */
export async function registerGraphQL(
  app: FastifyInstance,
  apollo: ApolloServer<GatewayContext>,
  contextOf: (request: FastifyRequest) => Promise<GatewayContext>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    const handler = fastifyApolloHandler(apollo, { context: (request) => contextOf(request) });
    for (const url of ["/graphql", "/"])
      scope.route({ method: ["GET", "POST"], url, schema: { hide: true }, handler });
  });
}
