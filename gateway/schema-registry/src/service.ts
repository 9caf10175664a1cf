import { Refusal } from "@onecert/subgraph-kit";
import type { Logger } from "@onecert/subgraph-kit";
import type { Checker, CheckReport } from "./check";
import type { VersionNotifier } from "./notifier";
import { createProposer, type ChangeRequest } from "./proposal";
import { authorize, touchedSubgraphs } from "./rules";
import type { ServedCheck } from "./served";
import { toSummary, type ProposedMember, type RegistryStore } from "./store";
import { type Actor, type VersionRecord, type VersionSummary } from "./types";

export type { ChangeRequest, SubgraphInput } from "./proposal";

export interface PublishOptions {
  /** Publish although fields in use break; needs `reason`. */
  override?: boolean;
  reason?: string | null;
}

export interface PublishResult {
  /** False when the change changed nothing. */
  published: boolean;
  /** The new version, or the current one when nothing changed. */
  version: VersionSummary;
  report: CheckReport | null;
}

export interface RegistryServiceOptions {
  store: RegistryStore;
  checker: Checker;
  notifier: VersionNotifier;
  /** Names only an admin may register or change. Default none. */
  reserved?: (name: string) => boolean;
  /** What a register or update publishes must be what its subgraph serves. Default: not checked. */
  served?: ServedCheck;
  logger: Logger;
}

/** Register, update, remove and roll back subgraphs: each change checked, then published as a version. */
export function createRegistryService(options: RegistryServiceOptions) {
  const { store, checker, notifier, logger } = options;
  const { drafts, propose } = createProposer(store);

  /** Loads the base, builds the proposal, checks access and runs every check. */
  async function evaluate(request: ChangeRequest, actor: Actor) {
    const base = await store.current();
    const baseMembers = await drafts(base);
    const proposal = await propose(request, baseMembers, base?.version ?? 0);
    authorize(actor, baseMembers, proposal.members, options.reserved);
    const touched = touchedSubgraphs(baseMembers, proposal.members);
    const departments = new Set(
      [...baseMembers, ...proposal.members]
        .filter((member) => touched.includes(member.name))
        .map((member) => member.department),
    );
    const unchanged = base !== null && touched.length === 0;
    const outcome = await checker.check(base, proposal.members, departments);
    return { base, proposal, unchanged, outcome };
  }

  /**
   * Runs after every other check, so a change refused for what it is never needs its subgraph
   * deployed; a change of contact or update cycle alone calls nothing.
   */
  async function checkServed(
    request: ChangeRequest,
    members: readonly ProposedMember[],
    base: VersionRecord | null,
  ) {
    if (!options.served || (request.kind !== "register" && request.kind !== "update")) return;
    const { name, sdl, url } = request.subgraph;
    if (request.kind === "update" && sdl === undefined && url === undefined) return;
    const member = members.find((entry) => entry.name === name)!;
    const previous = base?.members.find((entry) => entry.name === name)?.department;
    await options.served({
      name,
      url: member.url,
      sdl: member.sdl,
      department: member.department,
      previousDepartment: previous === member.department ? undefined : previous,
    });
  }

  return {
    /** Runs every check of a change and publishes nothing. */
    async check(request: ChangeRequest, actor: Actor): Promise<CheckReport> {
      return (await evaluate(request, actor)).outcome.report;
    },

    /** Checks a change and publishes it as a new supergraph version; refusals are RegistryErrors. */
    async publish(
      request: ChangeRequest,
      actor: Actor,
      publish: PublishOptions = {},
    ): Promise<PublishResult> {
      if (publish.override && !publish.reason?.trim()) {
        throw new Refusal("BAD_REQUEST", "an override needs a reason, recorded in the history");
      }
      for (let attempt = 1; ; attempt += 1) {
        const { base, proposal, unchanged, outcome } = await evaluate(request, actor);
        const { report } = outcome;
        if (unchanged && base) return { published: false, version: toSummary(base), report };
        if (report.ownershipConflicts.length > 0) {
          throw new Refusal(
            "OWNERSHIP_CONFLICT",
            `the change alters data other departments own:\n  - ${report.ownershipConflicts.join("\n  - ")}`,
            report,
          );
        }
        if (report.matterConflicts.length > 0) {
          throw new Refusal(
            "MATTER_CONFLICT",
            `matters declare fields the change removes; list them as pendingFields (or drop them) first:\n  - ${report.matterConflicts.join("\n  - ")}`,
            report,
          );
        }
        if (report.catalogueConflicts.length > 0) {
          throw new Refusal(
            "CATALOGUE_CONFLICT",
            `certificate checks read data the change removes or retypes; change the certificate types first:\n  - ${report.catalogueConflicts.join("\n  - ")}`,
            report,
          );
        }
        if (!report.composes || !outcome.supergraphSdl || !outcome.apiSdl) {
          throw new Refusal(
            "COMPOSITION_FAILED",
            `the change does not compose with the other subgraphs:\n  - ${report.compositionErrors.join("\n  - ")}`,
            report,
          );
        }
        const automatic = proposal.action === "bootstrap" || proposal.action === "sync";
        if (report.breaking.length > 0 && !publish.override && !automatic) {
          const fields = report.breaking.map(
            (item) => `${item.field} (used by ${item.clients.map((c) => c.name ?? c.clientId).join(", ")})`,
          );
          throw new Refusal(
            "BREAKING_CHANGE",
            `the change breaks fields used within ${report.usageWindowDays} days: ${fields.join("; ")}; ` +
              "publish with an override and a reason to go ahead",
            report,
          );
        }
        await checkServed(request, proposal.members, base);
        try {
          const version = await store.publish({
            baseVersion: base?.version ?? 0,
            members: proposal.members,
            supergraphSdl: outcome.supergraphSdl,
            apiSdl: outcome.apiSdl,
            action: proposal.action,
            subgraph: proposal.subgraph,
            actor,
            reason: publish.reason?.trim() || null,
            override: report.breaking.length > 0,
            breaking: report.breaking,
            rollbackOf: proposal.rollbackOf,
          });
          await notifier.announce(version.version).catch((error: unknown) => {
            logger.warn(
              { err: error, version: version.version },
              "announcing the version failed; replicas poll",
            );
          });
          logger.info(
            { version: version.version, action: proposal.action, actor: actor.id },
            "supergraph published",
          );
          return { published: true, version: toSummary(version), report };
        } catch (error) {
          // Another change won the race: check again against the version it published.
          if (!(error instanceof Refusal && error.code === "CONFLICT") || attempt >= 3) throw error;
        }
      }
    },
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
