import { Refusal } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, DepartmentStore, Role } from "@onecert/access";
import type { Registry, Actor, ChangeRequest, PublishResult, SubgraphInput } from "@onecert/schema-registry";
import { MAX_SDL_BYTES } from "@onecert/schema-registry";
import { z } from "zod";
import { clearableText, flag, numeral, object, optionalText, query, requiredInteger, text } from "./fields";
import {
  checkReport,
  publishResult,
  subgraphDetails,
  subgraphView,
  versionRecord,
  versionSummary,
} from "./registry-models";
import { route, type AdminResponse, type AdminRoute } from "./types";

const READ: readonly Role[] = ["admin", "department", "auditor"];
/** Departments manage their own subgraphs; the registry service enforces which ones. */
const MANAGE: readonly Role[] = ["admin", "department"];
const tag = "registry";

const subgraphFields = {
  department: optionalText(64),
  url: optionalText(2048),
  sdl: optionalText(MAX_SDL_BYTES),
  contact: clearableText(200),
  updateCycle: clearableText(64),
};
const publishFields = {
  override: flag(),
  reason: optionalText(500),
};
type SubgraphFields = z.output<z.ZodObject<typeof subgraphFields>>;

const actorOf = (client: AuthenticatedClient): Actor => ({
  id: client.id,
  name: client.name,
  department: client.department,
  role: client.role,
});

/** The subgraph fields of a body; a department client's own department is the default department. */
function subgraphInput(name: string, input: SubgraphFields, client: AuthenticatedClient): SubgraphInput {
  return {
    name,
    ...input,
    department: input.department ?? (client.role === "department" ? client.department : undefined),
  };
}

/** 201 when the change was published, 200 when it changed nothing. */
async function published(work: () => Promise<PublishResult>): Promise<AdminResponse> {
  const result = await work();
  return { status: result.published ? 201 : 200, body: result };
}

const publishOptions = (input: z.output<z.ZodObject<typeof publishFields>>) => ({
  override: input.override ?? false,
  reason: input.reason ?? null,
});

/**
 * The registry's admin endpoints: subgraphs, their checks, the version history and rollback. A
 * subgraph's department must be in `departments` (UNKNOWN_DEPARTMENT); default: not checked.
 */
export function registryRoutes(
  registry: Registry,
  departments?: Pick<DepartmentStore, "require">,
): AdminRoute[] {
  const { service, views, store } = registry;
  // The owner stamped on every sharing rule of the subgraph: a typo would own data no one is.
  const known = async (department: string | undefined) => {
    if (department !== undefined) await departments?.require(department);
  };
  const isRegistered = async (name: string) =>
    (await store.current())?.members.some((member) => member.name === name) ?? false;
  const routes: AdminRoute[] = [
    route({
      method: "GET",
      pattern: "/subgraphs",
      roles: READ,
      tag,
      summary: "List subgraphs with their department, URL and health",
      schema: { response: z.array(subgraphView) },
      handle: async () => ({ status: 200, body: await views.list() }),
    }),
    route({
      method: "GET",
      pattern: "/subgraphs/:name",
      roles: READ,
      tag,
      summary: "One subgraph with its SDL, SDL versions and history",
      schema: { response: subgraphDetails },
      handle: async ({ params }) => ({ status: 200, body: await views.get(params.name) }),
    }),
    route({
      method: "POST",
      pattern: "/subgraphs",
      roles: MANAGE,
      tag,
      summary: "Register a subgraph: checked, then published as a new supergraph version",
      schema: {
        body: object({ name: text(40), ...subgraphFields, ...publishFields }),
        response: publishResult,
      },
      async handle({ body, client }) {
        const { name, override, reason, ...fields } = body;
        const request: ChangeRequest = { kind: "register", subgraph: subgraphInput(name, fields, client) };
        await known(request.subgraph.department);
        return published(() =>
          service.publish(request, actorOf(client), publishOptions({ override, reason })),
        );
      },
    }),
    route({
      method: "POST",
      pattern: "/subgraphs/:name/check",
      roles: MANAGE,
      tag,
      summary: "Check a registration, update or removal without publishing it",
      schema: { body: object({ ...subgraphFields, remove: flag() }), response: checkReport },
      async handle({ params, body, client }) {
        const { remove, ...fields } = body;
        const request: ChangeRequest = remove
          ? { kind: "remove", name: params.name }
          : {
              kind: (await isRegistered(params.name)) ? "update" : "register",
              subgraph: subgraphInput(params.name, fields, client),
            };
        if (request.kind !== "remove") await known(request.subgraph.department);
        return { status: 200, body: await service.check(request, actorOf(client)) };
      },
    }),
    route({
      method: "POST",
      pattern: "/subgraphs/:name/update",
      roles: MANAGE,
      tag,
      summary: "Change a subgraph's SDL, URL or details: checked, then published",
      schema: { body: object({ ...subgraphFields, ...publishFields }), response: publishResult },
      async handle({ params, body, client }) {
        const { override, reason, ...fields } = body;
        // An update keeps the department unless it names one.
        const subgraph = { ...subgraphInput(params.name, fields, client), department: fields.department };
        const request: ChangeRequest = { kind: "update", subgraph };
        await known(subgraph.department);
        return published(() =>
          service.publish(request, actorOf(client), publishOptions({ override, reason })),
        );
      },
    }),
    route({
      // Subgraphs answer only the gateway's signed calls, so the gateway reads a running one's SDL.
      method: "POST",
      pattern: "/subgraphs/:name/introspect",
      roles: MANAGE,
      tag,
      summary: "Read a running subgraph's SDL through the gateway's signed hop",
      schema: {
        body: object({ url: optionalText(2048) }),
        response: z.object({ name: z.string(), url: z.string(), sdl: z.string() }),
      },
      async handle({ params, body, client }) {
        const member = (await store.current())?.members.find((entry) => entry.name === params.name);
        if (member && client.role === "department" && member.department !== client.department) {
          throw new Refusal("FORBIDDEN", `subgraph ${params.name} belongs to ${member.department}`);
        }
        const url = body.url ?? (member && (await views.get(params.name)).url);
        if (!url)
          throw new Refusal("BAD_REQUEST", `url is required: subgraph ${params.name} is not registered`);
        if (!/^https?:\/\//.test(url)) throw new Refusal("BAD_REQUEST", "url must be an http(s) URL");
        return {
          status: 200,
          body: { name: params.name, url, sdl: await registry.introspect(params.name, url) },
        };
      },
    }),
    route({
      method: "POST",
      pattern: "/subgraphs/:name/remove",
      roles: MANAGE,
      tag,
      summary: "Remove a subgraph: checked, then published",
      schema: { body: object(publishFields), response: publishResult },
      async handle({ params, body, client }) {
        const request: ChangeRequest = { kind: "remove", name: params.name };
        return published(() => service.publish(request, actorOf(client), publishOptions(body)));
      },
    }),
    route({
      method: "GET",
      pattern: "/registry/versions",
      roles: READ,
      tag,
      summary: "Supergraph versions, newest first",
      schema: {
        query: query({ limit: numeral(1, 1000).optional(), subgraph: optionalText(40) }),
        response: z.array(versionSummary),
      },
      async handle({ query: filter }) {
        return { status: 200, body: await store.history(filter) };
      },
    }),
    route({
      method: "GET",
      pattern: "/registry/versions/:version",
      roles: READ,
      tag,
      summary: "One supergraph version with its SDLs",
      schema: { params: z.strictObject({ version: numeral(1, 2 ** 31 - 1) }), response: versionRecord },
      async handle({ params }) {
        const found = await store.version(params.version);
        if (!found) throw new Refusal("NOT_FOUND", `version ${params.version} does not exist`);
        return { status: 200, body: found };
      },
    }),
    route({
      method: "POST",
      pattern: "/registry/rollback",
      roles: MANAGE,
      tag,
      summary: "Restore an earlier version (dryRun: only check it)",
      schema: {
        body: object({ version: requiredInteger(1, 2 ** 31 - 1), dryRun: flag(), ...publishFields }),
        response: z.union([publishResult, checkReport]),
      },
      async handle({ body, client }) {
        const request: ChangeRequest = { kind: "rollback", version: body.version };
        if (body.dryRun) return { status: 200, body: await service.check(request, actorOf(client)) };
        return published(() => service.publish(request, actorOf(client), publishOptions(body)));
      },
    }),
  ];
  // A gateway serving a file would never switch to what the registry publishes.
  return routes.map((entry) => ({
    ...entry,
    async handle(request) {
      if (!registry.enabled) {
        throw new Refusal(
          "REGISTRY_NOT_IN_USE",
          "this gateway serves a supergraph file, not the department registry (SUPERGRAPH_SOURCE)",
        );
      }
      return entry.handle(request);
    },
  }));
}
