import { Refusal } from "@onecert/subgraph-kit";
import { parse } from "graphql";
import { type Actor, type Member } from "./types";

/** A subgraph entry as the rules compare it: its SDL as text. */
export type Entry = Pick<Member, "name" | "department" | "url" | "contact" | "updateCycle"> & { sdl: string };

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const DEPARTMENT = /^[a-z][a-z0-9-]{0,63}$/;
/** The largest SDL a subgraph may register: far above any registry's, far below memory trouble. */
export const MAX_SDL_BYTES = 1024 * 1024;

const bad = (message: string) => new Refusal("BAD_REQUEST", message);

/** A subgraph name: 1-40 lower-case letters, digits and -, starting with a letter. */
export function checkName(name: string): void {
  if (!NAME.test(name)) throw bad(`subgraph name "${name}" must be 1-40 lower-case letters, digits and -`);
}

/** A department code as clients carry it, e.g. civil-affairs. */
export function checkDepartment(department: string): void {
  if (!DEPARTMENT.test(department)) {
    throw bad(`department "${department}" must be 1-64 lower-case letters, digits and -`);
  }
}

/** An http(s) URL the gateway can call. */
export function checkUrl(url: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw bad(`url "${url.slice(0, 200)}" must be an http(s) URL`);
  }
}

/** An SDL of at most MAX_SDL_BYTES that parses (composition checks the rest). */
export function checkSdl(sdl: string): void {
  if (Buffer.byteLength(sdl) > MAX_SDL_BYTES) throw bad(`sdl is larger than ${MAX_SDL_BYTES} bytes`);
  try {
    parse(sdl);
  } catch (error) {
    throw new Refusal("INVALID_SDL", `the SDL does not parse: ${(error as Error).message}`);
  }
}

/** Names of the subgraphs whose entry differs between two member lists (added, removed, changed). */
export function touchedSubgraphs(before: readonly Entry[], after: readonly Entry[]): string[] {
  const key = (member: Entry | undefined) =>
    member
      ? JSON.stringify([member.department, member.url, member.contact, member.updateCycle, member.sdl])
      : "";
  const names = new Set([...before, ...after].map((member) => member.name));
  return [...names].filter(
    (name) =>
      key(before.find((member) => member.name === name)) !==
      key(after.find((member) => member.name === name)),
  );
}

/**
 * The access rule of the registry: an admin manages every subgraph; a department client only
 * subgraphs that belong to its own department before and after the change, and never a
 * `reserved` name (a trusted subgraph the gateway forwards callers' credentials to); nobody
 * else any.
 */
export function authorize(
  actor: Actor,
  before: readonly Entry[],
  after: readonly Entry[],
  reserved: (name: string) => boolean = () => false,
): void {
  // The system (bootstrap, file sync) has no role; only code in this process acts as it.
  if (actor.role === "admin" || actor.role === null) return;
  if (actor.role !== "department") {
    throw new Refusal("FORBIDDEN", `a ${actor.role} client may not change the registry`);
  }
  for (const name of touchedSubgraphs(before, after)) {
    if (reserved(name)) {
      throw new Refusal("FORBIDDEN", `${name} is reserved to administrators (a trusted subgraph)`);
    }
    for (const member of [...before, ...after].filter((candidate) => candidate.name === name)) {
      if (member.department !== actor.department) {
        throw new Refusal(
          "FORBIDDEN",
          `a department client manages only its own department's subgraphs: ${name} would belong to ` +
            `${member.department}, not ${actor.department}`,
        );
      }
    }
  }
}
