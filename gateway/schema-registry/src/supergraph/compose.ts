import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import type { RegistryDefinition } from "@onecert/subgraph-kit";

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`composition failed:\n${errors.map((error) => `  - ${error}`).join("\n")}`);
  }
}

/** Composes subgraph SDLs into a supergraph with @apollo/composition; throws with every error. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const result = composeServices(
    subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}

/** Builds each registry's schema in-process (no database needed) and composes them. */
export async function composeRegistries<Subgraph extends Pick<RegistryDefinition, "name" | "buildSchema">>(
  registries: readonly Subgraph[],
  urlOf: (registry: Subgraph) => string,
): Promise<{ subgraphs: SubgraphSource[]; supergraphSdl: string }> {
  const subgraphs: SubgraphSource[] = [];
  for (const registry of registries) {
    const { sdl } = await registry.buildSchema();
    subgraphs.push({ name: registry.name, url: urlOf(registry), sdl });
  }
  return { subgraphs, supergraphSdl: composeSupergraph(subgraphs) };
}
