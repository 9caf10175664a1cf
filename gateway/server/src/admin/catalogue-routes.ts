import type { AuthenticatedClient, Role } from "@onecert/access";
import type { CatalogueActor, EntryKind } from "@onecert/catalogue";
import { z } from "zod";
import type { GatewayCatalogue } from "../live-catalogue";
import { integer, object, text } from "./fields";
import { catalogueCheck, catalogueHistory, catalogueVersion, liveCatalogue } from "./catalogue-models";
import { route, type AdminRoute } from "./types";

const tag = "catalogue";
/** Departments propose and read; the data administration bureau (admin) reviews and publishes. */
const PROPOSERS: readonly Role[] = ["admin", "department"];
const READERS: readonly Role[] = ["admin", "department", "auditor"];
/** A matter or certificate type file is a few kB; this leaves room for a large one. */
const MAX_SOURCE = 256 * 1024;

/** The URL's plural for each kind: /catalogue/matters/..., /catalogue/certificate-types/... */
const KINDS: Record<string, EntryKind> = { matters: "matter", "certificate-types": "certificate" };
const kindParam = z.enum(["matters", "certificate-types"]).transform((plural) => KINDS[plural]);
const entryParams = object({ kind: kindParam, code: text(64) });
const versionParams = object({ kind: kindParam, code: text(64), version: z.coerce.number().int().min(1) });
const kindBody = z.enum(["matter", "certificate"]);
const reasonBody = object({ reason: text(1000) });

const actorOf = (client: AuthenticatedClient): CatalogueActor => ({
  id: client.id,
  department: client.department,
  admin: client.role === "admin",
});

/**
 * The live catalogue's endpoints: propose, check, approve, reject, publish, roll back, history,
 * and the live catalogue itself (what `onecert catalogue export` writes). A publish is served by
 * this replica at once and by every other one and the certificates service within seconds.
 */
export function catalogueRoutes(catalogue: GatewayCatalogue): AdminRoute[] {
  const { review } = catalogue;
  const published = async <T>(work: Promise<T>) => {
    const result = await work;
    await catalogue.refresh();
    return result;
  };
  return [
    route({
      method: "GET",
      pattern: "/catalogue",
      roles: READERS,
      tag,
      summary: "The live catalogue: every matter and certificate type in force, with its text",
      schema: { response: liveCatalogue },
      async handle() {
        const live = await review.live();
        return { status: 200, body: { ...live, served: catalogue.generation() } };
      },
    }),
    route({
      method: "GET",
      pattern: "/catalogue/pending",
      roles: READERS,
      tag,
      summary: "Versions proposed or approved and not yet published, oldest first",
      schema: { response: z.array(catalogueVersion) },
      handle: async () => ({ status: 200, body: await review.pending() }),
    }),
    route({
      method: "POST",
      pattern: "/catalogue/check",
      roles: PROPOSERS,
      tag,
      summary:
        "Check a matter or certificate type text against the live catalogue and supergraph; stores nothing",
      schema: { body: object({ kind: kindBody, source: text(MAX_SOURCE) }), response: catalogueCheck },
      handle: async ({ body }) => ({ status: 200, body: await review.check(body.kind, body.source) }),
    }),
    route({
      method: "POST",
      pattern: "/catalogue/proposals",
      roles: PROPOSERS,
      tag,
      summary: "Propose the next version of a matter or certificate type of your department (checked first)",
      schema: {
        body: object({ kind: kindBody, source: text(MAX_SOURCE), reason: text(1000) }),
        response: catalogueVersion,
      },
      async handle({ body, client }) {
        return {
          status: 201,
          body: await review.propose(body.kind, body.source, actorOf(client), body.reason),
        };
      },
    }),
    route({
      method: "GET",
      pattern: "/catalogue/:kind/:code",
      roles: READERS,
      tag,
      summary: "Every version of an entry (newest first) and its releases: who, when and why",
      schema: { params: entryParams, response: catalogueHistory },
      handle: async ({ params }) => ({ status: 200, body: await review.history(params.kind, params.code) }),
    }),
    route({
      method: "POST",
      pattern: "/catalogue/:kind/:code/versions/:version/check",
      roles: PROPOSERS,
      tag,
      summary: "Check a stored version against the live catalogue and the supergraph as they are now",
      schema: { params: versionParams, response: catalogueCheck },
      handle: async ({ params }) => ({ status: 200, body: await review.checkVersion(params) }),
    }),
    ...(["approve", "reject", "publish"] as const).map((step) =>
      route({
        method: "POST",
        pattern: `/catalogue/:kind/:code/versions/:version/${step}`,
        roles: ["admin"],
        tag,
        summary: {
          approve: "Approve a proposed version (checked again)",
          reject: "Reject a proposed or approved version",
          publish: "Publish an approved version: every replica and the certificates service switch to it",
        }[step],
        schema: { params: versionParams, body: reasonBody, response: catalogueVersion },
        async handle({ params, body, client }) {
          const work = review[step](params, actorOf(client), body.reason);
          return { status: 200, body: await (step === "publish" ? published(work) : work) };
        },
      }),
    ),
    route({
      method: "POST",
      pattern: "/catalogue/:kind/:code/rollback",
      roles: ["admin"],
      tag,
      summary: "Make an earlier published version live again (default: the one live before the current one)",
      schema: {
        params: entryParams,
        body: object({ reason: text(1000), version: integer(1, 1_000_000) }),
        response: catalogueVersion,
      },
      async handle({ params, body, client }) {
        const work = review.rollback(params.kind, params.code, actorOf(client), body.reason, body.version);
        return { status: 200, body: await published(work) };
      },
    }),
  ];
}
