import { Refusal, parseIsoDate } from "@onecert/subgraph-kit";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MatterCatalogue, AuthenticatedClient, Role } from "@onecert/access";
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
  AuditUnavailableError,
} from "@onecert/audit";
import type { AuditScope, AuditKind, AuditOutcome, SearchFilter, AuditTrail } from "@onecert/audit";
import { createAdminHandler } from "./handler";
import { treeRoutes } from "./tree-routes";
import { type AdminRoute } from "./types";

const AUDITOR: readonly Role[] = ["auditor"];
const DAY_MS = 86_400_000;
const bad = (message: string) => new Refusal("BAD_REQUEST", message);

function date(query: URLSearchParams, name: string, endOfDay: boolean): Date | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const parsed = parseIsoDate(raw, endOfDay);
  if (!parsed) throw bad(`${name} must be an ISO date (YYYY-MM-DD) or date-time`);
  return parsed;
}

function oneOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw bad(`${name} must be one of ${allowed.join(", ")}`);
  return raw as T;
}

function limitOf(query: URLSearchParams, fallback: number): number {
  const raw = query.get("limit");
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 500)
    throw bad("limit must be an integer from 1 to 500");
  return value;
}

function seqParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw bad(`${name} must be a record sequence number`);
  return Number(raw);
}

/** The search filter of `?subject=&client=&operator=&matter=&outcome=&kind=&from=&to=`. */
function filterOf(query: URLSearchParams): SearchFilter {
  const text = (name: string) => query.get(name)?.trim() || undefined;
  return {
    subject: text("subject"),
    client: text("client"),
    operator: text("operator"),
    matter: text("matter"),
    outcome: oneOf<AuditOutcome>(query, "outcome", AUDIT_OUTCOMES),
    kind: oneOf<AuditKind>(query, "kind", AUDIT_KINDS),
    from: date(query, "from", false),
    to: date(query, "to", true),
  };
}

/** `from` and `to` of statistics and anomalies; default the last 30 days. */
function rangeOf(query: URLSearchParams): { from: Date; to: Date } {
  const to = date(query, "to", true) ?? new Date();
  const from = date(query, "from", false) ?? new Date(to.getTime() - 30 * DAY_MS);
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
  const page = (query: URLSearchParams) => ({ limit: limitOf(query, 50), cursor: query.get("cursor") });
  return [
    {
      method: "GET",
      pattern: "/audit/records",
      roles: AUDITOR,
      async handle({ query }) {
        const filter = filterOf(query);
        return { status: 200, body: await paged(() => searchRecords(db, filter, page(query))) };
      },
    },
    {
      method: "GET",
      pattern: "/audit/subjects/:subject/history",
      roles: AUDITOR,
      async handle({ params, query }) {
        if (!isSubject(params.subject)) {
          throw bad("the subject must be a valid ID number, social credit code or real-estate unit number");
        }
        const found = await paged(() => subjectHistory(db, params.subject, restricted(), page(query)));
        return { status: 200, body: { subject: params.subject, ...found } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/stats",
      roles: AUDITOR,
      async handle({ query }) {
        const { from, to } = rangeOf(query);
        return { status: 200, body: await statistics(db, from, to, trail.config.anomalies.timeZone) };
      },
    },
    {
      method: "GET",
      pattern: "/audit/anomalies",
      roles: AUDITOR,
      async handle({ query }) {
        const { from, to } = rangeOf(query);
        const found = await anomalies(db, from, to, trail.config.anomalies);
        return { status: 200, body: { from: from.toISOString(), to: to.toISOString(), anomalies: found } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/keys",
      roles: AUDITOR,
      async handle() {
        return { status: 200, body: await trail.store.publicKeys() };
      },
    },
  ];
}

/** Serves one request below /admin/audit/; `scope` is the request's audit record in the making. */
export type AuditApiHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  client: AuthenticatedClient,
  requestId: string,
  scope: AuditScope | null,
) => Promise<void>;

/** The lines of a download, checked (filters parsed) before the first is produced. */
function download(trail: AuditTrail, url: URL): { type: string; lines: AsyncIterable<string> } {
  if (url.pathname === "/admin/audit/chain") {
    const range = {
      afterSeq: seqParam(url.searchParams, "afterSeq"),
      toSeq: seqParam(url.searchParams, "toSeq"),
    };
    const lines = async function* () {
      for await (const line of exportLines(trail.store, range)) yield `${line}\n`;
    };
    return { type: "application/x-ndjson", lines: lines() };
  }
  const csv = (oneOf(url.searchParams, "format", ["ndjson", "csv"] as const) ?? "ndjson") === "csv";
  const records = searchAll(trail.store.db, filterOf(url.searchParams));
  const lines = async function* () {
    if (csv) yield csvHeader();
    for await (const record of records) yield csv ? csvLine(record) : ndjsonLine(record);
  };
  return { type: csv ? "text/csv; charset=utf-8" : "application/x-ndjson", lines: lines() };
}

/**
 * The auditor API: the JSON routes above, plus two streamed downloads that are recorded before
 * they start (their bodies are too large to hold back): `GET /admin/audit/export?format=ndjson|csv`
 * with the search filters, and `GET /admin/audit/chain?afterSeq=&toSeq=`, the verifiable chain
 * that `onecert audit verify --file` checks.
 */
export function createAuditApi(
  trail: AuditTrail,
  matters: MatterCatalogue,
  onError?: (error: unknown, requestId: string) => void,
): AuditApiHandler {
  const json = createAdminHandler([...auditRoutes(trail, matters), ...treeRoutes(trail)], { onError });
  return async (req, res, client, requestId, scope) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const isDownload = url.pathname === "/admin/audit/export" || url.pathname === "/admin/audit/chain";
    if (!isDownload) return json(req, res, client, requestId);
    let body: { type: string; lines: AsyncIterable<string> };
    try {
      if (req.method !== "GET")
        throw new Refusal("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}`);
      if (client.role !== "auditor") {
        throw new Refusal("FORBIDDEN", `a ${client.role} client may not call GET ${url.pathname}`);
      }
      body = download(trail, url);
      await scope?.stream();
    } catch (error) {
      const refusal =
        error instanceof Refusal
          ? error
          : error instanceof AuditUnavailableError
            ? new Refusal(error.code, error.message)
            : null;
      if (!refusal) throw error;
      res.writeHead(refusal.status, {
        "content-type": "application/json; charset=utf-8",
        "x-request-id": requestId,
      });
      res.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
      return;
    }
    res.writeHead(200, { "content-type": body.type, "x-request-id": requestId, "cache-control": "no-store" });
    for await (const line of body.lines) {
      if (res.destroyed) return;
      if (!res.write(line)) {
        await new Promise((resolve) => {
          res.once("drain", resolve);
          res.once("close", resolve);
        });
      }
    }
    res.end();
  };
}
