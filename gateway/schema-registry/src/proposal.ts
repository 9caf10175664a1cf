import { Refusal } from "@onecert/subgraph-kit";
import { checkDepartment, checkName, checkSdl, checkUrl } from "./rules";
import { stampShareOwners } from "./share";
import type { ProposedMember, RegistryStore } from "./store";
import { type VersionAction, type VersionRecord } from "./types";

/** A subgraph's registration fields; on update, absent ones keep their current value. */
export interface SubgraphInput {
  name: string;
  department?: string;
  url?: string;
  sdl?: string;
  contact?: string | null;
  updateCycle?: string | null;
}

export type ChangeRequest =
  | { kind: "register" | "update"; subgraph: SubgraphInput }
  | { kind: "remove"; name: string }
  | { kind: "rollback"; version: number }
  /** Internal: the whole set, computed from version `baseVersion` (bootstrap: 0, file sync). */
  | { kind: "bootstrap" | "sync"; members: ProposedMember[]; subgraph: string | null; baseVersion: number };

export interface Proposal {
  action: VersionAction;
  subgraph: string | null;
  members: ProposedMember[];
  rollbackOf: number | null;
}

const notFound = (what: string) => new Refusal("NOT_FOUND", `${what} is not registered`);

/** Turns a change request into the complete set of subgraphs it would publish. */
export function createProposer(store: RegistryStore) {
  /** The members of a version with their SDL texts. */
  async function drafts(version: VersionRecord | null): Promise<ProposedMember[]> {
    if (!version) return [];
    const sdls = await store.sdls(version.members.map((member) => member.sdlId));
    return version.members.map(({ sdlVersion: _version, ...member }) => ({
      ...member,
      sdl: sdls.get(member.sdlId)!.sdl,
    }));
  }

  async function propose(
    request: ChangeRequest,
    base: ProposedMember[],
    baseVersion: number,
  ): Promise<Proposal> {
    const find = (name: string) => base.find((member) => member.name === name);
    switch (request.kind) {
      case "bootstrap":
      case "sync":
        if (request.baseVersion !== baseVersion) {
          throw new Refusal("CONFLICT", `the registry moved on to version ${baseVersion}`);
        }
        return {
          action: request.kind,
          subgraph: request.subgraph,
          members: request.members,
          rollbackOf: null,
        };
      case "register": {
        const input = request.subgraph;
        checkName(input.name);
        if (find(input.name)) {
          throw new Refusal("ALREADY_REGISTERED", `${input.name} is registered already; update it`);
        }
        if (!input.department || !input.url || !input.sdl) {
          const missing = (["department", "url", "sdl"] as const).filter((field) => !input[field]);
          // An admin names the owning department (a department client's own is the default).
          throw new Refusal(
            "BAD_REQUEST",
            `a new subgraph needs ${missing.join(", ")}` +
              (missing.includes("department") ? " (--department: the department that will own it)" : ""),
            { missing },
          );
        }
        checkDepartment(input.department);
        checkUrl(input.url);
        checkSdl(input.sdl);
        const member: ProposedMember = {
          name: input.name,
          department: input.department,
          url: input.url,
          sdl: stampShareOwners(input.sdl, input.department),
          contact: input.contact ?? null,
          updateCycle: input.updateCycle ?? null,
        };
        return { action: "register", subgraph: input.name, members: [...base, member], rollbackOf: null };
      }
      case "update": {
        const input = request.subgraph;
        const existing = find(input.name);
        if (!existing) throw notFound(`subgraph ${input.name}`);
        if (input.department !== undefined) checkDepartment(input.department);
        if (input.url !== undefined) checkUrl(input.url);
        if (input.sdl !== undefined) checkSdl(input.sdl);
        const department = input.department ?? existing.department;
        const next: ProposedMember = {
          ...existing,
          department,
          url: input.url ?? existing.url,
          contact: input.contact === undefined ? existing.contact : input.contact,
          updateCycle: input.updateCycle === undefined ? existing.updateCycle : input.updateCycle,
        };
        const sdl = stampShareOwners(input.sdl ?? existing.sdl, department, existing.department);
        if (sdl !== existing.sdl) {
          next.sdl = sdl;
          delete next.sdlId;
        }
        const members = base.map((member) => (member === existing ? next : member));
        return { action: "update", subgraph: input.name, members, rollbackOf: null };
      }
      case "remove": {
        if (!find(request.name)) throw notFound(`subgraph ${request.name}`);
        const members = base.filter((member) => member.name !== request.name);
        return { action: "remove", subgraph: request.name, members, rollbackOf: null };
      }
      case "rollback": {
        const target = await store.version(request.version);
        if (!target) throw notFound(`version ${request.version}`);
        return {
          action: "rollback",
          subgraph: null,
          members: await drafts(target),
          rollbackOf: target.version,
        };
      }
    }
  }

  return { drafts, propose };
}
