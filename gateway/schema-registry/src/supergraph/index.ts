import { IntrospectAndCompose, type SupergraphManager } from "@apollo/gateway";
import { supergraphMembers } from "@onecert/subgraph-kit";
import { readFile } from "node:fs/promises";

export { composeRegistries, composeSupergraph, CompositionError, type SubgraphSource } from "./compose";

export type SupergraphSourceConfig =
  | { kind: "file"; path: string }
  | { kind: "sdl"; sdl: string }
  /** The subgraphs the file at `path` names, at their URLs there unless `urls` gives another. */
  | { kind: "live"; path: string; urls?: Record<string, string>; pollIntervalMs?: number }
  /** The department registry's current version; an empty registry is filled from the file at `path`. */
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
  if (source.kind === "live") return liveManager(source);
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

/** Introspects and composes the subgraphs the supergraph file names, at their configured URLs. */
function liveManager(source: Extract<SupergraphSourceConfig, { kind: "live" }>): SupergraphManager {
  return {
    async initialize(hooks) {
      const members = supergraphMembers(await readSupergraphFile(source.path));
      const subgraphs = members.map(({ name, url }) => ({ name, url: source.urls?.[name] ?? url }));
      return new IntrospectAndCompose({ subgraphs, pollIntervalInMs: source.pollIntervalMs }).initialize(
        hooks,
      );
    },
  };
}
