import { Refusal } from "@onecert/subgraph-kit";
import type { SubgraphHealth } from "./health";
import type { RegistryStore } from "./store";
import { type Member, type SdlVersion, type VersionSummary } from "./types";

/** A subgraph as the registry API shows it. */
export interface SubgraphView extends Omit<Member, "sdlId"> {
  /** "active" while the current version holds it, "removed" after. */
  status: "active" | "removed";
  /** This replica's last probe; null while the subgraph is not served. */
  health: SubgraphHealth | null;
  /** The URL registered, when this gateway reaches the subgraph elsewhere (SUBGRAPH_URL_<NAME>); `url` is the one in use. */
  registeredUrl?: string;
}

export interface SubgraphDetails extends SubgraphView {
  /** The SDL of the current (or, once removed, the last) version. */
  sdl: string;
  sdlVersions: Omit<SdlVersion, "sdl">[];
  /** Supergraph versions that held or changed it, newest first. */
  history: VersionSummary[];
}

export interface RegistryViews {
  list(): Promise<SubgraphView[]>;
  get(name: string): Promise<SubgraphDetails>;
}

/** Read-only views of the registry, with the health of each subgraph as this replica last saw it. */
export function registryViews(
  store: RegistryStore,
  health: (name: string) => SubgraphHealth | undefined,
  urlInUse: (name: string, registered: string) => string = (_name, registered) => registered,
): RegistryViews {
  const view = ({ sdlId: _id, ...member }: Member, status: SubgraphView["status"]): SubgraphView => {
    const url = urlInUse(member.name, member.url);
    return {
      ...member,
      url,
      ...(url !== member.url ? { registeredUrl: member.url } : {}),
      status,
      health: status === "active" ? (health(member.name) ?? null) : null,
    };
  };

  /** The member entry of a removed subgraph: the last version that still held it. */
  async function lastEntry(name: string): Promise<Member | undefined> {
    for (const version of await store.history({ subgraph: name, limit: 10 })) {
      const member = version.members.find((candidate) => candidate.name === name);
      if (member) return member;
    }
    return undefined;
  }

  return {
    async list() {
      const current = await store.current();
      const members = current?.members ?? [];
      const active = members.map((member) => view(member, "active"));
      const removed: SubgraphView[] = [];
      for (const name of await store.knownSubgraphs()) {
        if (members.some((member) => member.name === name)) continue;
        const member = await lastEntry(name);
        if (member) removed.push(view(member, "removed"));
      }
      return [...active, ...removed.sort((a, b) => a.name.localeCompare(b.name))];
    },
    async get(name) {
      const current = await store.current();
      const active = current?.members.find((member) => member.name === name);
      const member = active ?? (await lastEntry(name));
      if (!member) throw new Refusal("NOT_FOUND", `subgraph ${name} is not registered`);
      const versions = await store.sdlVersions(name);
      const sdl = versions.find((version) => version.id === member.sdlId)?.sdl ?? "";
      return {
        ...view(member, active ? "active" : "removed"),
        sdl,
        sdlVersions: versions.map(({ sdl: _sdl, ...version }) => version),
        history: await store.history({ subgraph: name }),
      };
    },
  };
}
