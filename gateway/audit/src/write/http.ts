import { randomUUID } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { purposeOf } from "@onecert/access";
import type { AuthenticatedClient } from "@onecert/access";
import type { RequestTrace } from "./trace";
import { clip, codeInBody, kindOf, outcomeOf } from "./outcome";
import { bodyDigest, type AuditEntry } from "../record";
import { subjectsInUrl } from "./subjects";
import { AuditUnavailableError, type AuditTrail } from "./trail";

/** What the audit plugin learns of a GraphQL request (from the unmasked result, before masking). */
export interface GraphQLFacts {
  operationName: string | null;
  operationHash: string | null;
  subjects: Set<string>;
  fields: Set<string>;
  /** extensions.code of each error in the response. */
  errorCodes: string[];
}

/** The audit record of one HTTP request in the making; the server and the audit plugin fill it in. */
export interface AuditScope {
  /** Set once the caller authenticated. */
  client: AuthenticatedClient | null;
  /** Set by the audit plugin when the request runs through Apollo. */
  graphql: GraphQLFacts | null;
  trace: RequestTrace | null;
  /**
   * The error code to record when the answer must not say why it refused (a console login answers
   * LOGIN_FAILED whether the password was wrong or the account locked; the record names which).
   * Default: the answer's own code.
   */
  errorCode?: string;
  /**
   * Records the request now and lets the response stream unheld, for bodies too large to keep
   * (exports); their digest is "stream". Rejects with AuditUnavailableError like any record.
   */
  stream(): Promise<void>;
}

/** What a request is recorded through: the trail's settings (its replica) and its durable record. */
export type AuditRecorder = Pick<AuditTrail, "config" | "record">;

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/**
 * Query parameters that carry a credential (a single sign-on callback's authorization code and
 * state, tokens a client put in a URL): the record keeps that they were there, not their values.
 */
const CREDENTIAL_PARAMS = /([?&](?:code|state|id_token|access_token|refresh_token|session_state)=)[^&#]*/g;
export const redactUrl = (url: string): string => url.replace(CREDENTIAL_PARAMS, "$1REDACTED");

/**
 * Holds the response of one request until its audit record is durable: writeHead, write and
 * end are captured, the record (with the body's digest) is committed, and only then is the
 * response sent. When the record cannot be made durable the response becomes HTTP 503
 * AUDIT_UNAVAILABLE (fail closed), so no data leaves without its record.
 */
export function auditResponse(
  trail: AuditRecorder,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): AuditScope {
  const arrived = new Date();
  const started = performance.now();
  const url = req.url ?? "/";
  const path = url.split("?")[0];
  let status: number | undefined;
  let head: [string?, (OutgoingHttpHeaders | OutgoingHttpHeader[])?] = [];
  const chunks: (Buffer | string)[] = [];
  let ended = false;
  let streamed = false;

  const scope: AuditScope = { client: null, graphql: null, trace: null, stream };

  function entry(code: number, body: Buffer | string | null): AuditEntry {
    const client = scope.client;
    const purpose = purposeOf(req.headers);
    const facts = scope.graphql;
    const subjects = new Set(facts?.subjects);
    subjectsInUrl(url, subjects);
    const codes = scope.errorCode
      ? [scope.errorCode]
      : facts
        ? facts.errorCodes
        : body && code >= 400
          ? [codeInBody(body)].filter((c) => c !== null)
          : [];
    const trace = scope.trace;
    return {
      id: randomUUID(),
      at: arrived.toISOString(),
      requestId,
      replica: trail.config.replica,
      kind: kindOf(path),
      method: req.method ?? "GET",
      path: clip(redactUrl(url), 1024)!,
      clientId: client?.id ?? null,
      clientName: client?.name ?? null,
      role: client?.role ?? null,
      department: client?.department ?? null,
      credentialId: client?.credentialId ?? null,
      operatorId: clip(purpose.operatorId),
      matterCode: clip(purpose.matterCode),
      caseNumber: clip(purpose.caseNumber),
      subjects: sorted(subjects),
      operationName: clip(facts?.operationName),
      operationHash: facts?.operationHash ?? null,
      fields: sorted(facts?.fields ?? []),
      subgraphs: sorted(trace?.subgraphs ?? []),
      certificates: sorted(trace?.certificates ?? []),
      hops: sorted(trace?.hops ?? []),
      sent: sorted(trace?.sent ?? []),
      traceId: trace?.traceId ?? null,
      cacheHits: trace?.cacheHits ?? 0,
      cacheMisses: trace?.cacheMisses ?? 0,
      ...outcomeOf(code, codes),
      status: code,
      latencyUs: Math.round((performance.now() - started) * 1000),
      responseDigest: body ? bodyDigest(body) : "stream",
    };
  }

  // Put back on the same response once the record is durable, so never called unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  const unhold = () => {
    res.writeHead = original.writeHead;
    res.write = original.write;
    res.end = original.end;
  };

  res.writeHead = function (code: number, ...rest: unknown[]) {
    status = code;
    const reason = typeof rest[0] === "string" ? (rest.shift() as string) : undefined;
    head = [reason, rest[0] as OutgoingHttpHeaders | undefined];
    return res;
  };
  res.write = function (chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (chunk !== undefined && chunk !== null) {
      // A UTF-8 string (every GraphQL answer) is kept as it is: no copy per request.
      const utf8 =
        typeof chunk === "string" && (!encoding || typeof encoding === "function" || encoding === "utf8");
      chunks.push(
        utf8 || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding as BufferEncoding),
      );
    }
    const done = [encoding, callback].find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  } as ServerResponse["write"];
  res.end = function (chunk?: unknown, encoding?: unknown, callback?: unknown) {
    if (ended) return res;
    ended = true;
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function")
      res.write(chunk, encoding as BufferEncoding);
    const done = [chunk, encoding, callback].find((arg) => typeof arg === "function") as
      (() => void) | undefined;
    void settle(done);
    return res;
  } as ServerResponse["end"];

  async function settle(done?: () => void): Promise<void> {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
    const code = status ?? res.statusCode;
    let refused: AuditUnavailableError | null = null;
    try {
      await trail.record(entry(code, body));
    } catch (error) {
      refused = error instanceof AuditUnavailableError ? error : new AuditUnavailableError();
    }
    unhold();
    if (refused) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.writeHead(503, {
        "content-type": "application/json; charset=utf-8",
        "x-request-id": requestId,
        "retry-after": "5",
      });
      const answer = JSON.stringify({
        errors: [{ message: refused.message, extensions: { code: refused.code } }],
      });
      res.end(answer, done);
      // The record that timed out may still commit, saying 200: the refusal follows it in the
      // chain (same request id), so the trail ends with what the caller was actually answered.
      trail
        .record({ ...entry(503, answer), fields: [], outcome: "error", errorCode: refused.code })
        .catch(() => undefined);
      return;
    }
    const [reason, headers] = head;
    if (reason !== undefined) res.writeHead(code, reason, headers);
    else res.writeHead(code, headers);
    res.end(body, done);
  }

  async function stream(): Promise<void> {
    if (streamed || ended) return;
    await trail.record(entry(200, null));
    streamed = true;
    unhold();
  }

  return scope;
}

/**
 * Records a request that Node's HTTP parser refused before the gateway saw it (headers too
 * large: 431, not HTTP at all: 400), so that refusals at the edge are in the trail like any
 * other. Only the refusal is known: no method, path, client or purpose could be read.
 */
export function auditEdgeRefusal(
  trail: AuditRecorder,
  status: number,
  code: string,
  body: string,
): Promise<void> {
  return trail.record({
    id: randomUUID(),
    at: new Date().toISOString(),
    requestId: randomUUID(),
    replica: trail.config.replica,
    kind: "http",
    method: "-",
    path: "-",
    clientId: null,
    clientName: null,
    role: null,
    department: null,
    credentialId: null,
    operatorId: null,
    matterCode: null,
    caseNumber: null,
    subjects: [],
    operationName: null,
    operationHash: null,
    fields: [],
    subgraphs: [],
    certificates: [],
    hops: [],
    sent: [],
    traceId: null,
    cacheHits: 0,
    cacheMisses: 0,
    ...outcomeOf(status, [code]),
    status,
    latencyUs: 0,
    responseDigest: bodyDigest(body),
  });
}
