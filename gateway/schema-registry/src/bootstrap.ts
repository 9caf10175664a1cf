import { Refusal } from "@onecert/subgraph-kit";
import { shareOwnerOf, supergraphMembers, type Logger } from "@onecert/subgraph-kit";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { RegistryService } from "./service";
import type { ProposedMember, RegistryStore } from "./store";
import { SYSTEM_ACTOR } from "./types";

/** The subgraphs a composed supergraph names (join__Graph), with their URLs. */
export function supergraphSubgraphs(supergraphSdl: string): { name: string; url: string }[] {
  return supergraphMembers(supergraphSdl).map(({ name, url }) => ({ name, url }));
}

export interface FileSubgraphsOptions {
  /** The composed supergraph; each subgraph's SDL is read from <name>.graphql next to it. */
  supergraphPath: string;
  /**
   * The owning department of a subgraph found in the files. Default: the owner its SDL stamps
   * on its sharing rules (every subgraph built with the toolkit stamps its department).
   */
  departmentOf?: (name: string) => string | undefined;
}

/** The subgraphs of a file-based supergraph (schema/supergraph.graphql) with their SDLs. */
export async function fileSubgraphs(options: FileSubgraphsOptions): Promise<ProposedMember[]> {
  const read = (path: string) =>
    readFile(path, "utf8").catch((error: unknown) => {
      throw new Error(`cannot bootstrap the registry: ${path} is unreadable (${(error as Error).message})`);
    });
  const graphs = supergraphSubgraphs(await read(options.supergraphPath));
  const members: ProposedMember[] = [];
  for (const graph of graphs) {
    const sdl = (await read(resolve(dirname(options.supergraphPath), `${graph.name}.graphql`))).trimEnd();
    const department = options.departmentOf?.(graph.name) ?? shareOwnerOf(sdl);
    if (!department) {
      throw new Error(
        `cannot bootstrap the registry: the SDL of ${graph.name} names no owning department (@share(owner:))`,
      );
    }
    members.push({ name: graph.name, department, url: graph.url, sdl, contact: null, updateCycle: null });
  }
  return members;
}

export interface BootstrapOptions extends FileSubgraphsOptions {
  service: RegistryService;
  store: RegistryStore;
  /** Also bring subgraphs the files own up to date with the files (all-in-one development stack). */
  sync: boolean;
  logger: Logger;
}

/**
 * Fills an empty registry from the file-based supergraph as version 1. With `sync`, a later
 * start publishes the files' changes to subgraphs no department has taken over (their current
 * SDL came from the files) and adds file subgraphs the registry never held: in the all-in-one
 * stack the code defines the registries, and a stale registry would hide its changes.
 */
export async function bootstrapRegistry(options: BootstrapOptions): Promise<void> {
  const { service, store, logger } = options;
  const current = await store.current();
  if (current && !options.sync) return;
  const files = await fileSubgraphs(options);
  try {
    if (!current) {
      const members = files;
      await service.publish({ kind: "bootstrap", members, subgraph: null, baseVersion: 0 }, SYSTEM_ACTOR);
      logger.info(
        { subgraphs: files.map((file) => file.name) },
        "registry bootstrapped from the supergraph file",
      );
      return;
    }
    const sdls = await store.sdls(current.members.map((member) => member.sdlId));
    const known = await store.knownSubgraphs();
    const members: ProposedMember[] = current.members.map(({ sdlVersion: _version, ...member }) => {
      const file = files.find((candidate) => candidate.name === member.name);
      const stored = sdls.get(member.sdlId)!;
      if (!file || stored.createdBy !== SYSTEM_ACTOR.id) return { ...member, sdl: stored.sdl };
      if (file.sdl === stored.sdl) return { ...member, url: file.url, sdl: stored.sdl };
      return { ...member, url: file.url, sdl: file.sdl, sdlId: undefined };
    });
    members.push(...files.filter((file) => !known.has(file.name)));
    const result = await service.publish(
      { kind: "sync", members, subgraph: null, baseVersion: current.version },
      SYSTEM_ACTOR,
      { reason: "the subgraph SDLs in schema/ changed with the code (REGISTRY_SYNC_FILES)" },
    );
    if (result.published) logger.info({ version: result.version.version }, "registry synced with schema/");
  } catch (error) {
    // A registry that exists keeps serving its current version; an empty one cannot start.
    if (!current && error instanceof Refusal && error.code === "CONFLICT") return;
    if (!current) throw error;
    logger.error({ err: error }, "syncing the registry with schema/ failed; serving its current version");
  }
}
