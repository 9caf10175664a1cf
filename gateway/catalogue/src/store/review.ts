import { Refusal } from "@onecert/subgraph-kit";
import type { CatalogueTexts } from "../sources";
import type { EntryKind, EntryVersion, LiveEntry, Release } from "./model";
import type { CatalogueStore } from "./store";
import { catalogueTexts, entryLabel, identify, type EntryText } from "./texts";

/** Who acts on the catalogue: an admin (the data administration bureau) or a department's client. */
export interface CatalogueActor {
  /** Who the version history names (the client, or the console user). */
  id: string;
  department: string | null;
  /** Admins review, publish and roll back, and may propose for any department. */
  admin: boolean;
}

export interface CatalogueReviewDeps {
  store: CatalogueStore;
  /** The supergraph SDL versions are checked against: the one the gateway serves now. */
  supergraph(): Promise<string>;
  /**
   * The loaders' problems with a whole catalogue against a supergraph, matter fields included:
   * catalogueProblemsOffThread(texts, sdl, { matterFields: true }) off the serving thread.
   */
  problems(texts: CatalogueTexts, supergraphSdl: string): Promise<string[]>;
  /**
   * What the gateway checks besides (matter fields in the API schema, departments in the
   * directory), for the entry `entry` of `texts`. Default none.
   */
  gatewayProblems?(texts: CatalogueTexts, supergraphSdl: string, entry: EntryText): Promise<string[]>;
  /** Times a publish is checked again when another publish moved the catalogue on. Default 3. */
  publishAttempts?: number;
}

export interface CheckResult {
  ok: boolean;
  kind: EntryKind;
  code: string;
  department: string;
  problems: string[];
}

type Key = { kind: EntryKind; code: string; version: number };

const invalid = (problems: string[], what: string) =>
  new Refusal("CATALOGUE_INVALID", `${what} has ${problems.length} problem(s): ${problems[0]}`, { problems });

/**
 * Matters and certificate types as reviewed data: a department proposes a version of its own
 * entry, the bureau approves or rejects it, then publishes it; a version can be rolled back to.
 * Every step that would change what is live is checked against the catalogue it would make and
 * the supergraph served now, exactly as the start-up checks do.
 */
export function createCatalogueReview(deps: CatalogueReviewDeps) {
  const attempts = deps.publishAttempts ?? 3;

  async function problemsOf(entry: EntryText, live: readonly LiveEntry[]): Promise<string[]> {
    const texts = catalogueTexts(live, entry);
    const sdl = await deps.supergraph();
    const [loaded, gateway] = await Promise.all([
      deps.problems(texts, sdl),
      deps.gatewayProblems?.(texts, sdl, entry) ?? Promise.resolve([]),
    ]);
    return [...loaded, ...gateway];
  }

  async function checkText(kind: EntryKind, source: string, label?: string): Promise<CheckResult> {
    const shape = identify(kind, label ?? entryLabel(kind, "new", "proposed"), source);
    if (!("code" in shape)) return { ok: false, kind, code: "", department: "", problems: shape.problems };
    const entry = {
      kind,
      code: shape.code,
      label: label ?? entryLabel(kind, shape.code, "proposed"),
      source,
    };
    const problems = await problemsOf(entry, (await deps.store.live()).entries);
    return { ok: problems.length === 0, kind, code: shape.code, department: shape.department, problems };
  }

  const requireAdmin = (actor: CatalogueActor, what: string) => {
    if (!actor.admin) throw new Refusal("FORBIDDEN", `only the data administration (admin) may ${what}`);
  };

  async function stored(key: Key): Promise<EntryVersion> {
    const found = await deps.store.version(key.kind, key.code, key.version);
    if (!found) throw new Refusal("NOT_FOUND", `${key.kind} ${key.code} has no version ${key.version}`);
    return found;
  }

  const textOf = (version: EntryVersion): EntryText => ({
    kind: version.kind,
    code: version.code,
    label: entryLabel(version.kind, version.code, version.version),
    source: version.source,
  });

  async function move(
    key: Key,
    from: EntryVersion["status"][],
    to: EntryVersion["status"],
    actor: CatalogueActor,
    reason: string,
  ) {
    const current = await stored(key);
    if (!from.includes(current.status))
      throw new Refusal(
        "CATALOGUE_STATE",
        `${key.kind} ${key.code} v${key.version} is ${current.status}, not ${from.join(" or ")}`,
      );
    const moved = await deps.store.review(key, current.status, to, actor.id, reason);
    if (!moved)
      throw new Refusal(
        "CATALOGUE_STATE",
        `${key.kind} ${key.code} v${key.version} changed meanwhile; try again`,
      );
    return moved;
  }

  /** Makes `version` live if it fits the catalogue as it is at release time; retried when it moved on. */
  async function release(
    version: EntryVersion,
    action: "publish" | "rollback",
    actor: CatalogueActor,
    reason: string,
  ) {
    for (let attempt = 1; ; attempt++) {
      const live = await deps.store.live();
      const problems = await problemsOf(textOf(version), live.entries);
      if (problems.length > 0) throw invalid(problems, `${version.kind} ${version.code} v${version.version}`);
      const input = {
        kind: version.kind,
        code: version.code,
        version: version.version,
        action,
        actor: actor.id,
        reason,
      };
      if (await deps.store.release(input, live.generation)) return stored(version);
      if (attempt >= attempts)
        throw new Refusal("CATALOGUE_STATE", "the catalogue kept changing while this was checked; try again");
    }
  }

  return {
    /** Checks a text as the catalogue would be with it live; stores nothing. */
    check: (kind: EntryKind, source: string) => checkText(kind, source),

    /** Checks a stored version against the live catalogue and the supergraph as they are now. */
    async checkVersion(key: Key): Promise<CheckResult> {
      const version = await stored(key);
      const problems = await problemsOf(textOf(version), (await deps.store.live()).entries);
      return {
        ok: problems.length === 0,
        kind: key.kind,
        code: key.code,
        department: version.department,
        problems,
      };
    },

    /** Stores a checked text as the next version of its entry, waiting for review. */
    async propose(
      kind: EntryKind,
      source: string,
      actor: CatalogueActor,
      reason: string,
    ): Promise<EntryVersion> {
      const checked = await checkText(kind, source);
      if (!checked.code) throw invalid(checked.problems, `the ${kind}`);
      if (!actor.admin && checked.department !== actor.department)
        throw new Refusal(
          "FORBIDDEN",
          `a department proposes ${kind}s of its own: this one is ${checked.department}'s, you are ${actor.department ?? "no department"}'s`,
        );
      const history = await deps.store.history(kind, checked.code);
      const owner = history.versions[0]?.department;
      if (!actor.admin && owner !== undefined && owner !== actor.department)
        throw new Refusal("FORBIDDEN", `${kind} ${checked.code} belongs to ${owner}`);
      if (!checked.ok) throw invalid(checked.problems, `${kind} ${checked.code}`);
      return deps.store.propose({
        kind,
        code: checked.code,
        department: checked.department,
        source,
        actor: actor.id,
        reason,
      });
    },

    /** The bureau approves a proposal; it is checked again, as the catalogue may have moved on. */
    async approve(key: Key, actor: CatalogueActor, reason: string) {
      requireAdmin(actor, "approve catalogue versions");
      const checked = await this.checkVersion(key);
      if (!checked.ok) throw invalid(checked.problems, `${key.kind} ${key.code} v${key.version}`);
      return move(key, ["proposed"], "approved", actor, reason);
    },

    async reject(key: Key, actor: CatalogueActor, reason: string) {
      requireAdmin(actor, "reject catalogue versions");
      return move(key, ["proposed", "approved"], "rejected", actor, reason);
    },

    /** Makes an approved version live on every replica and the certificates service. */
    async publish(key: Key, actor: CatalogueActor, reason: string) {
      requireAdmin(actor, "publish catalogue versions");
      const version = await stored(key);
      if (version.status !== "approved")
        throw new Refusal(
          "CATALOGUE_STATE",
          `${key.kind} ${key.code} v${key.version} is ${version.status}; only an approved version is published`,
        );
      return release(version, "publish", actor, reason);
    },

    /**
     * Makes an earlier published version live again: `version`, or by default the one live before
     * the current one. It is checked like a publish (the supergraph may have moved on since).
     */
    async rollback(kind: EntryKind, code: string, actor: CatalogueActor, reason: string, to?: number) {
      requireAdmin(actor, "roll back catalogue entries");
      const { releases } = await deps.store.history(kind, code);
      if (releases.length === 0) throw new Refusal("NOT_FOUND", `${kind} ${code} was never published`);
      const current = releases[0].version;
      const target = to ?? releases.find((r: Release) => r.version !== current)?.version;
      if (target === undefined)
        throw new Refusal("CATALOGUE_STATE", `${kind} ${code} has no earlier published version`);
      if (target === current)
        throw new Refusal("CATALOGUE_STATE", `${kind} ${code} v${target} is live already`);
      if (!releases.some((r) => r.version === target))
        throw new Refusal(
          "CATALOGUE_STATE",
          `${kind} ${code} v${target} was never published; publish it instead`,
        );
      return release(await stored({ kind, code, version: target }), "rollback", actor, reason);
    },

    history: async (kind: EntryKind, code: string) => {
      const found = await deps.store.history(kind, code);
      if (found.versions.length === 0) throw new Refusal("NOT_FOUND", `no ${kind} ${code}`);
      return found;
    },
    pending: (kind?: EntryKind) => deps.store.pending(kind),
    live: () => deps.store.live(),
    version: stored,
  };
}

export type CatalogueReview = ReturnType<typeof createCatalogueReview>;
