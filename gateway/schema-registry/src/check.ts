import { buildSchema } from "graphql";
import { buildShareIndex, unknownMatterFields, type MatterCatalogue } from "@onecert/access";
import { supergraphMembers } from "@onecert/subgraph-kit";
import { fieldChanges } from "./diff";
import { ownershipConflicts } from "./ownership";
import { requiredReadConflicts, requiredReads } from "./required";
import type { BreakingField, ClientUsage, FieldChange, UsageSource } from "./types";

import { composeOffThread, type ComposableSubgraph, type Composed } from "./compose";

export { composeSubgraphs, type ComposableSubgraph } from "./compose";

/** The version a proposal is checked against. */
export interface CheckBase {
  version: number;
  supergraphSdl: string;
  apiSdl: string;
  members: readonly { name: string; department: string }[];
}

/** What `check` finds out about a proposed set of subgraphs, without publishing anything. */
export interface CheckReport {
  /** The version the proposal was compared with; 0 for an empty registry. */
  baseVersion: number;
  /** Publishable as it is: it composes, re-rules no one else's data, breaks no field in use. */
  ok: boolean;
  composes: boolean;
  compositionErrors: string[];
  /** What the change would alter of other departments' data (sharing rules, resolution): never allowed. */
  ownershipConflicts: string[];
  /**
   * Matter fields the change would remove. The gateway checks its matters against the supergraph
   * at start, so such a change is refused until the matter lists the field as pending or drops it.
   */
  matterConflicts: string[];
  /**
   * Problems the certificate catalogue would have with the change (an operation or rule reading a
   * field it removes or retypes) that it does not have now: refused like matter conflicts.
   */
  catalogueConflicts: string[];
  /** Every change that could break an operation, used or not. */
  changes: FieldChange[];
  /** The changed fields that operations used within the window, with the clients that used them. */
  breaking: BreakingField[];
  usageWindowDays: number;
}

export interface CheckOutcome {
  report: CheckReport;
  /** Set when the proposal composes. */
  supergraphSdl?: string;
  apiSdl?: string;
}

export interface CheckerOptions {
  usage: UsageSource;
  /** Name of a client, for the report; null when unknown. */
  clientName(id: string): Promise<string | null>;
  /** Fields used within this many days make a change breaking. */
  usageWindowDays: number;
  /** The matters whose fields must stay. Default none. */
  matters?: MatterCatalogue;
  /** The certificate catalogue's problems against a supergraph SDL. Default none (no catalogue). */
  catalogue?: (supergraphSdl: string) => string[] | Promise<string[]>;
  /** Changes exactly when the catalogue `catalogue` checks does (a live one's generation). Default: never. */
  catalogueStamp?: () => number | string;
  /**
   * The fields approved grants of a department's clients cover ("Type.field", "Type.*"): a
   * department's subgraph may @requires CONDITIONAL fields of another only under one. Default: none.
   */
  grantedFields?: (department: string) => Promise<ReadonlySet<string>>;
  /** How a proposal is composed. Default: in a worker thread, so a publish never stalls requests. */
  compose?: (subgraphs: readonly ComposableSubgraph[]) => Promise<Composed> | Composed;
  now?: () => Date;
}

/**
 * Checks a proposed set of subgraphs against the API schema of the base version: it must
 * compose, and a change to a field that clients selected within the usage window is breaking.
 */
export function createChecker(options: CheckerOptions) {
  const now = options.now ?? (() => new Date());
  // The base version and the catalogue change rarely: their problems are worked out once per pair.
  let baseCatalogue: { key: string; problems: Set<string> } | null = null;
  const baseCatalogueProblems = async (sdl: string): Promise<Set<string>> => {
    const key = `${options.catalogueStamp?.() ?? ""}\n${sdl}`;
    if (baseCatalogue?.key !== key) baseCatalogue = { key, problems: new Set(await options.catalogue!(sdl)) };
    return baseCatalogue.problems;
  };

  async function breakingOf(changes: FieldChange[]): Promise<BreakingField[]> {
    if (changes.length === 0) return [];
    const fields = [...new Set(changes.map((change) => change.field))];
    const since = new Date(now().getTime() - options.usageWindowDays * 86_400_000);
    const rows = await options.usage.usage(fields, since);
    const names = new Map<string, string | null>();
    for (const row of rows) {
      if (!names.has(row.clientId)) names.set(row.clientId, await options.clientName(row.clientId));
    }
    const byField = new Map<string, ClientUsage[]>();
    for (const row of rows) {
      const { clientId, requests, lastUsed } = row;
      const usage: ClientUsage = { clientId, name: names.get(clientId) ?? null, requests, lastUsed };
      byField.set(row.field, [...(byField.get(row.field) ?? []), usage]);
    }
    return fields
      .filter((field) => byField.has(field))
      .map((field) => ({
        field,
        changes: changes.filter((change) => change.field === field),
        clients: byField.get(field)!.sort((a, b) => b.requests - a.requests),
      }));
  }

  /** Required and provided fields the change newly sends to a department that may not read them. */
  async function readConflicts(
    base: CheckBase,
    composed: { supergraphSdl: string; apiSdl: string },
    departmentOf: (subgraph: string) => string | undefined,
  ): Promise<string[]> {
    const reads = (sdl: string, api: string) =>
      requiredReads(sdl, buildSchema(api), new Map(supergraphMembers(sdl).map((m) => [m.graph, m.name])));
    const added = reads(composed.supergraphSdl, composed.apiSdl);
    if (added.length === 0) return [];
    const index = buildShareIndex(composed.supergraphSdl, departmentOf, "NOT_SHARED");
    const granted = new Map<string, ReadonlySet<string>>();
    for (const department of new Set(added.map((read) => departmentOf(read.subgraph)))) {
      if (department) granted.set(department, (await options.grantedFields?.(department)) ?? new Set());
    }
    return requiredReadConflicts(
      reads(base.supergraphSdl, base.apiSdl),
      added,
      index,
      departmentOf,
      (d, t, f) => {
        const fields = granted.get(d);
        return !!fields && (fields.has(`${t}.${f}`) || fields.has(`${t}.*`));
      },
    );
  }

  return {
    /** `touched`: departments of the subgraphs the change adds, alters or removes. */
    async check(
      base: CheckBase | null,
      proposed: readonly (ComposableSubgraph & { department: string })[],
      touched: ReadonlySet<string>,
    ): Promise<CheckOutcome> {
      const composed = await (options.compose ?? composeOffThread)(proposed);
      const report: CheckReport = {
        baseVersion: base?.version ?? 0,
        ok: false,
        composes: !("errors" in composed),
        compositionErrors: "errors" in composed ? composed.errors : [],
        ownershipConflicts: [],
        matterConflicts: [],
        catalogueConflicts: [],
        changes: [],
        breaking: [],
        usageWindowDays: options.usageWindowDays,
      };
      if ("errors" in composed) return { report };
      if (base) {
        const departmentIn = (members: CheckBase["members"]) => (name: string) =>
          members.find((member) => member.name === name)?.department;
        report.ownershipConflicts = [
          ...ownershipConflicts(
            { ...base, departmentOf: departmentIn(base.members) },
            { ...composed, departmentOf: departmentIn(proposed) },
            touched,
          ),
          ...(await readConflicts(base, composed, departmentIn(proposed))),
        ];
        const [before, after] = [buildSchema(base.apiSdl), buildSchema(composed.apiSdl)];
        if (options.matters) {
          const known = new Set(unknownMatterFields(options.matters, before));
          report.matterConflicts = unknownMatterFields(options.matters, after).filter((p) => !known.has(p));
        }
        if (options.catalogue) {
          const [known, problems] = await Promise.all([
            baseCatalogueProblems(base.supergraphSdl),
            options.catalogue(composed.supergraphSdl),
          ]);
          report.catalogueConflicts = problems.filter((p) => !known.has(p));
        }
        report.changes = fieldChanges(before, after);
        report.breaking = await breakingOf(report.changes);
      }
      const refusals = [report.ownershipConflicts, report.matterConflicts, report.catalogueConflicts];
      report.ok = [...refusals, report.breaking].every((list) => !list.length);
      return { report, ...composed };
    },
  };
}

export type Checker = ReturnType<typeof createChecker>;
