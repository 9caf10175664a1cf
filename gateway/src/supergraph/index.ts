import { IntrospectAndCompose, type SupergraphManager } from "@apollo/gateway";
import { readFile } from "node:fs/promises";

export { composeRegistries, composeSupergraph, CompositionError, type SubgraphSource } from "./compose";

export type SupergraphSourceConfig =
  | { kind: "file"; path: string }
  | { kind: "sdl"; sdl: string }
  | { kind: "live"; subgraphs: { name: string; url: string }[]; pollIntervalMs?: number }
  /** The department registry (gateway/src/registry); an empty one is filled from the file at `path`. */
  | { kind: "registry"; path: string };

/**
 * Where the supergraph comes from. `file`: a composed schema/supergraph.graphql, published by a
 * pipeline; `sdl`: a string already in memory; `live`: introspect the running subgraphs and
 * compose at start (development only: a subgraph change reaches consumers unchecked).
 * `registry` needs the registry's store and is built by the registry itself.
 */
export function supergraphManager(
  source: Exclude<SupergraphSourceConfig, { kind: "registry" }>,
): SupergraphManager {
  if (source.kind === "live") {
    return new IntrospectAndCompose({ subgraphs: source.subgraphs, pollIntervalInMs: source.pollIntervalMs });
  }
  return {
    async initialize() {
      const supergraphSdl = source.kind === "sdl" ? source.sdl : await readSupergraphFile(source.path);
      return { supergraphSdl };
    },
  };
}

async function readSupergraphFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the supergraph at ${path} (run \`npm run compose\`): ${String(error)}`);
  }
}
