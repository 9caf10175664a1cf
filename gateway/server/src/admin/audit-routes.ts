import { Refusal } from "@onecert/subgraph-kit";
import type { ConsoleRole, MatterCatalogue, Role } from "@onecert/access";
import {
  exportLines,
  csvHeader,
  csvLine,
  ndjsonLine,
  anomalies,
  statistics,
  isSubject,
  AUDIT_KINDS,
  AUDIT_OUTCOMES,
  CursorError,
  searchAll,
  searchRecords,
  subjectHistory,
  KeyRotationUnsupportedError,
} from "@onecert/audit";
import type { AuditKind, AuditOutcome, SearchFilter, AuditTrail } from "@onecert/audit";
import { z } from "zod";
import * as models from "./audit-models";
import { isoDate, numeral, oneOf, optionalText, query } from "./fields";
import { treeRoutes } from "./tree-routes";
import { download, route, type AdminDownload, type AdminRoute } from "./types";

const AUDITOR: readonly Role[] = ["auditor"];
/** Console users who read the statistics (a supervisor's client is an auditor's; it reads no records). */
const SCORECARD: readonly ConsoleRole[] = ["auditor", "supervisor"];
const ADMIN: readonly Role[] = ["admin"];
const DAY_MS = 86_400_000;
const tag = "audit";
const bad = (message: string) => new Refusal("BAD_REQUEST", message);

/** The search filter of `?subject=&client=&operator=&matter=&outcome=&kind=&from=&to=`. */
const filterFields = {
  subject: optionalText(64),
  client: optionalText(200),
  operator: optionalText(200),
  matter: optionalText(64),
  outcome: oneOf(AUDIT_OUTCOMES as [AuditOutcome, ...AuditOutcome[]]).optional(),
  kind: oneOf(AUDIT_KINDS as [AuditKind, ...AuditKind[]]).optional(),
  from: isoDate(false).optional(),
  to: isoDate(true).optional(),
};
const pageFields = {
  limit: numeral(1, 500, "must be an integer from 1 to 500").optional(),
  cursor: optionalText(64),
};
const range = query({ from: filterFields.from, to: filterFields.to });

const trimmed = (filter: SearchFilter): SearchFilter => ({
  ...filter,
  subject: filter.subject?.trim(),
  client: filter.client?.trim(),
  operator: filter.operator?.trim(),
  matter: filter.matter?.trim(),
});

/** `from` and `to` of statistics and anomalies; default the last 30 days. */
function rangeOf(given: { from?: Date; to?: Date }): { from: Date; to: Date } {
  const to = given.to ?? new Date();
  const from = given.from ?? new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw bad("from must be before to");
  return { from, to };
}

const paged = <T>(work: () => Promise<T>): Promise<T> =>
  work().catch((error: unknown) => {
    throw error instanceof CursorError ? bad(error.message) : error;
  });

/** The auditor's JSON endpoints below /admin/audit; only the auditor role may call them. */
export function auditRoutes(trail: AuditTrail, matters: MatterCatalogue): AdminRoute[] {
  const db = trail.store.db;
  const restricted = () =>
    matters
      .list()
      .filter((matter) => matter.restricted)
      .map((matter) => matter.code);
  const page = (given: { limit?: number; cursor?: string }) => ({
    limit: given.limit ?? 50,
    cursor: given.cursor ?? null,
  });
  return [
    route({
      method: "GET",
      pattern: "/audit/records",
      roles: AUDITOR,
      tag,
      summary: "Search the records, newest first, a page at a time",
      schema: { query: query({ ...filterFields, ...pageFields }), response: models.searchPage },
      async handle({ query: given }) {
        const { limit, cursor, ...filter } = given;
        return {
          status: 200,
          body: await paged(() => searchRecords(db, trimmed(filter), page({ limit, cursor }))),
        };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/subjects/:subject/history",
      roles: AUDITOR,
      tag,
      summary: "Who read about one person, enterprise or property unit, when and why",
      schema: { query: query(pageFields), response: models.subjectHistory },
      async handle({ params, query: given }) {
        if (!isSubject(params.subject)) {
          throw bad("the subject must be a valid ID number, social credit code or real-estate unit number");
        }
        const found = await paged(() => subjectHistory(db, params.subject, restricted(), page(given)));
        return { status: 200, body: { subject: params.subject, ...found } };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/stats",
      roles: AUDITOR,
      consoleRoles: SCORECARD,
      tag,
      summary: "Data calls per department, registry, certificate type and day (default the last 30 days)",
      schema: { query: range, response: models.statistics },
      async handle({ query: given }) {
        const { from, to } = rangeOf(given);
        return { status: 200, body: await statistics(db, from, to, trail.config.anomalies.timeZone) };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/anomalies",
      roles: AUDITOR,
      tag,
      summary: "Flagged activity: many subjects per hour, outside working hours, denial bursts",
      schema: { query: range, response: models.anomalies },
      async handle({ query: given }) {
        const { from, to } = rangeOf(given);
        const found = await anomalies(db, from, to, trail.config.anomalies);
        return { status: 200, body: { from: from.toISOString(), to: to.toISOString(), anomalies: found } };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/keys",
      roles: AUDITOR,
      tag,
      summary: "The public keys checkpoints are signed with",
      schema: { response: models.publicKeys },
      async handle() {
        return { status: 200, body: await trail.store.publicKeys() };
      },
    }),
    route({
      method: "POST",
      pattern: "/audit/keys/rotate",
      roles: ADMIN,
      tag,
      summary: "Make a new key the active checkpoint signing key (AUDIT_SIGNING_KEY_STORE=database)",
      schema: { response: models.publicKey },
      async handle() {
        try {
          return { status: 201, body: await trail.rotateKey() };
        } catch (error) {
          if (error instanceof KeyRotationUnsupportedError) throw new Refusal(error.code, error.message);
          throw error;
        }
      },
    }),
  ];
}

/**
 * The two downloads, recorded before they start (their bodies are too large to hold back):
 * the records matching the search filters as NDJSON or CSV, and the verifiable chain that
 * `onecert audit verify --file` checks.
 */
export function auditDownloads(trail: AuditTrail): AdminDownload[] {
  return [
    download({
      method: "GET",
      pattern: "/audit/export",
      roles: AUDITOR,
      tag,
      summary: "Every record matching the search filters, as NDJSON (default) or CSV",
      produces: ["application/x-ndjson", "text/csv"],
      schema: {
        query: query({ ...filterFields, format: oneOf(["ndjson", "csv"]).optional() }),
        response: z.string(),
      },
      open({ query: given }) {
        const { format, ...filter } = given;
        const csv = format === "csv";
        const records = searchAll(trail.store.db, trimmed(filter));
        const lines = async function* () {
          if (csv) yield csvHeader();
          for await (const record of records) yield csv ? csvLine(record) : ndjsonLine(record);
        };
        return { type: csv ? "text/csv; charset=utf-8" : "application/x-ndjson", lines: lines() };
      },
    }),
    download({
      method: "GET",
      pattern: "/audit/chain",
      roles: AUDITOR,
      tag,
      summary: "The hash chain with checkpoints and tree heads, for offline verification",
      produces: ["application/x-ndjson"],
      schema: {
        query: query({
          afterSeq: numeral(0, Number.MAX_SAFE_INTEGER, "must be a record sequence number").optional(),
          toSeq: numeral(0, Number.MAX_SAFE_INTEGER, "must be a record sequence number").optional(),
        }),
        response: z.string(),
      },
      open({ query: given }) {
        const lines = async function* () {
          for await (const line of exportLines(trail.store, given)) yield `${line}\n`;
        };
        return { type: "application/x-ndjson", lines: lines() };
      },
    }),
  ];
}

/** Every endpoint below /admin/audit: the auditor's, the tree's, and the downloads. */
export function auditEndpoints(trail: AuditTrail, matters: MatterCatalogue): (AdminRoute | AdminDownload)[] {
  // Through the console, the records are the auditors'; a supervisor (on an auditor client) reads
  // only the statistics.
  return [...auditRoutes(trail, matters), ...treeRoutes(trail), ...auditDownloads(trail)].map((endpoint) => ({
    ...endpoint,
    consoleRoles: endpoint.consoleRoles ?? ["auditor"],
  }));
}

/** Where the figures of matter checks and proofs come from (the certificates service's counts). */
export type CheckFiguresSource = (from: Date, to: Date) => Promise<z.output<typeof models.checkFigures>>;

/** GET /admin/audit/checks: what a supervisor's scorecard reads beside the data calls. */
export function checkFiguresRoute(source: CheckFiguresSource): AdminRoute {
  return route({
    method: "GET",
    pattern: "/audit/checks",
    roles: AUDITOR,
    consoleRoles: SCORECARD,
    tag,
    summary:
      "Matter checks by outcome (the share decided from shared data alone), commitments and proofs issued per certificate type (default the last 30 days)",
    schema: { query: range, response: models.checkFigures },
    async handle({ query: given }) {
      const { from, to } = rangeOf(given);
      return { status: 200, body: await source(from, to) };
    },
  });
}
