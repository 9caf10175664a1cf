import type { AuthenticatedClient, ConsoleCaller, RequestPurpose } from "@onecert/access";
import type { AuditScope } from "@onecert/audit";
import type { FastifyRequest } from "fastify";
import type { OnBehalf } from "../hop/on-behalf";

/** What the edge's hooks learn of a request before its route runs. */
export interface EdgeState {
  /** The audit record in the making; null on public routes and without an audit trail. */
  scope: AuditScope | null;
  /** Set once the caller authenticated (every route but the public ones). */
  client: AuthenticatedClient | null;
  purpose: RequestPurpose;
  /** Set when a trusted service calls back on behalf of the request the gateway sent it. */
  onBehalf?: OnBehalf;
  /** Set when the request is authenticated by a console session cookie (see ../console). */
  session?: ConsoleCaller;
}

/** The request decoration that holds it (declared once on the app, so requests keep one shape). */
export const STATE = "onecertEdge";
type WithState = FastifyRequest & { [STATE]?: EdgeState | null };

export function setState(request: FastifyRequest, state: EdgeState): EdgeState {
  (request as WithState)[STATE] = state;
  return state;
}

/** The request's state; a route reached without the edge's hooks is a wiring bug. */
export function stateOf(request: FastifyRequest): EdgeState {
  const state = (request as WithState)[STATE];
  if (!state) throw new Error(`no edge state on ${request.method} ${request.url}`);
  return state;
}
