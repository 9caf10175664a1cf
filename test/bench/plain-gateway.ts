import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { readFileSync } from "node:fs";
import { SUPERGRAPH_PATH } from "@onecert/subgraph-kit";

export interface PlainGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * The baseline: @apollo/gateway and @apollo/server as they come, with the same supergraph and
 * subgraph URLs as OneCert, and none of OneCert's plugins, policy or caches.
 */
export async function startPlainGateway(subgraphUrls: Record<string, string>): Promise<PlainGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, "utf8"),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: subgraphUrls[name] ?? url }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, stop: () => server.stop() };
}
