import { composeServices } from "@apollo/composition";
import { parse, printSchema, type DocumentNode } from "graphql";

// Composition alone, with nothing else of the registry: it also runs in the composition thread.

/** A subgraph as composition sees it. */
export interface ComposableSubgraph {
  name: string;
  url: string;
  sdl: string;
}

/** The supergraph and API schema of subgraphs that compose, or every error of those that do not. */
export type Composed = { supergraphSdl: string; apiSdl: string } | { errors: string[] };

/** Composes subgraphs with @apollo/composition; every error message on failure. */
export function composeSubgraphs(subgraphs: readonly ComposableSubgraph[]): Composed {
  const documents: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const errors: string[] = [];
  for (const subgraph of subgraphs) {
    try {
      documents.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) });
    } catch (error) {
      errors.push(`[${subgraph.name}] the SDL does not parse: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) return { errors };
  const result = composeServices(documents);
  if (result.errors) return { errors: result.errors.map((error) => error.message) };
  return {
    supergraphSdl: result.supergraphSdl,
    apiSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}
