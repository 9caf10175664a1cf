import { Refusal } from "@onecert/subgraph-kit";
import type { AuthenticatedClient, Role } from "@onecert/access";
import type { Registry, Actor, ChangeRequest, PublishResult, SubgraphInput } from "@onecert/schema-registry";
import { MAX_SDL_BYTES } from "@onecert/schema-registry";
import { booleanField, integerField, objectBody, stringField } from "./body";
import { type AdminResponse, type AdminRoute } from "./types";

const READ: readonly Role[] = ["admin", "department", "auditor"];
/** Departments manage their own subgraphs; the registry service enforces which ones. */
const MANAGE: readonly Role[] = ["admin", "department"];
const SUBGRAPH_FIELDS = ["department", "url", "sdl", "contact", "updateCycle"] as const;
const PUBLISH_FIELDS = ["override", "reason"] as const;

const actorOf = (client: AuthenticatedClient): Actor => ({
  id: client.id,
  name: client.name,
  department: client.department,
  role: client.role,
});

/** The registry's answer with `status`; its refusals keep their code and details. */
async function answer(status: number, work: () => Promise<unknown>): Promise<AdminResponse> {
  return { status, body: await work() };
}

function nullableText(input: Record<string, unknown>, name: string, max: number): string | null | undefined {
  return input[name] === null ? null : stringField(input, name, max);
}

/** The subgraph fields of a body; a department client's own department is the default department. */
function subgraphInput(
  name: string,
  input: Record<string, unknown>,
  client: AuthenticatedClient,
): SubgraphInput {
  return {
    name,
    department: stringField(input, "department", 64),
    url: stringField(input, "url", 2048),
    sdl: stringField(input, "sdl", MAX_SDL_BYTES),
    contact: nullableText(input, "contact", 200),
    updateCycle: nullableText(input, "updateCycle", 64),
    ...(client.role === "department" && input.department === undefined
      ? { department: client.department }
      : {}),
  };
}

/** 201 when the change was published, 200 when it changed nothing. */
async function published(work: () => Promise<PublishResult>): Promise<AdminResponse> {
  const response = await answer(201, work);
  return (response.body as PublishResult).published ? response : { ...response, status: 200 };
}

const publishOptions = (input: Record<string, unknown>) => ({
  override: booleanField(input, "override") ?? false,
  reason: stringField(input, "reason", 500) ?? null,
});

/** The registry's admin endpoints: subgraphs, their checks, the version history and rollback. */
export function registryRoutes(registry: Registry): AdminRoute[] {
  const { service, views, store } = registry;
  const isRegistered = async (name: string) =>
    (await store.current())?.members.some((member) => member.name === name) ?? false;
  const routes: AdminRoute[] = [
    { method: "GET", pattern: "/subgraphs", roles: READ, handle: () => answer(200, () => views.list()) },
    {
      method: "GET",
      pattern: "/subgraphs/:name",
      roles: READ,
      handle: ({ params }) => answer(200, () => views.get(params.name)),
    },
    {
      method: "POST",
      pattern: "/subgraphs",
      roles: MANAGE,
      async handle({ body, client }) {
        const input = objectBody(body, ["name", ...SUBGRAPH_FIELDS, ...PUBLISH_FIELDS]);
        const subgraph = subgraphInput(stringField(input, "name", 40, true), input, client);
        const request: ChangeRequest = { kind: "register", subgraph };
        return published(() => service.publish(request, actorOf(client), publishOptions(input)));
      },
    },
    {
      method: "POST",
      pattern: "/subgraphs/:name/check",
      roles: MANAGE,
      async handle({ params, body, client }) {
        const input = objectBody(body, [...SUBGRAPH_FIELDS, "remove"]);
        const request: ChangeRequest = booleanField(input, "remove")
          ? { kind: "remove", name: params.name }
          : {
              kind: (await isRegistered(params.name)) ? "update" : "register",
              subgraph: subgraphInput(params.name, input, client),
            };
        return answer(200, () => service.check(request, actorOf(client)));
      },
    },
    {
      method: "POST",
      pattern: "/subgraphs/:name/update",
      roles: MANAGE,
      async handle({ params, body, client }) {
        const input = objectBody(body, [...SUBGRAPH_FIELDS, ...PUBLISH_FIELDS]);
        const subgraph = {
          ...subgraphInput(params.name, input, client),
          department: stringField(input, "department", 64),
        };
        const request: ChangeRequest = { kind: "update", subgraph };
        return published(() => service.publish(request, actorOf(client), publishOptions(input)));
      },
    },
    {
      // Subgraphs answer only the gateway's signed calls, so the gateway reads a running one's SDL.
      method: "POST",
      pattern: "/subgraphs/:name/introspect",
      roles: MANAGE,
      async handle({ params, body, client }) {
        const input = objectBody(body, ["url"]);
        const member = (await store.current())?.members.find((entry) => entry.name === params.name);
        if (member && client.role === "department" && member.department !== client.department) {
          throw new Refusal("FORBIDDEN", `subgraph ${params.name} belongs to ${member.department}`);
        }
        const url = stringField(input, "url", 2048) ?? (member && (await views.get(params.name)).url);
        if (!url)
          throw new Refusal("BAD_REQUEST", `url is required: subgraph ${params.name} is not registered`);
        if (!/^https?:\/\//.test(url)) throw new Refusal("BAD_REQUEST", "url must be an http(s) URL");
        return answer(200, async () => ({
          name: params.name,
          url,
          sdl: await registry.introspect(params.name, url),
        }));
      },
    },
    {
      method: "POST",
      pattern: "/subgraphs/:name/remove",
      roles: MANAGE,
      async handle({ params, body, client }) {
        const input = objectBody(body, PUBLISH_FIELDS);
        const request: ChangeRequest = { kind: "remove", name: params.name };
        return published(() => service.publish(request, actorOf(client), publishOptions(input)));
      },
    },
    {
      method: "GET",
      pattern: "/registry/versions",
      roles: READ,
      async handle({ query }) {
        const limit = query.get("limit");
        const parsed = limit === null ? undefined : integerField({ limit: Number(limit) }, "limit", 1, 1000);
        const subgraph = query.get("subgraph") ?? undefined;
        return answer(200, () => store.history({ subgraph, limit: parsed }));
      },
    },
    {
      method: "GET",
      pattern: "/registry/versions/:version",
      roles: READ,
      async handle({ params }) {
        const version = integerField({ version: Number(params.version) }, "version", 1, 2 ** 31 - 1)!;
        return answer(200, async () => {
          const found = await store.version(version);
          if (!found) throw new Refusal("NOT_FOUND", `version ${version} does not exist`);
          return found;
        });
      },
    },
    {
      method: "POST",
      pattern: "/registry/rollback",
      roles: MANAGE,
      async handle({ body, client }) {
        const input = objectBody(body, ["version", "dryRun", ...PUBLISH_FIELDS]);
        const version = integerField(input, "version", 1, 2 ** 31 - 1);
        if (version === undefined) throw new Refusal("BAD_REQUEST", "version is required");
        const request: ChangeRequest = { kind: "rollback", version };
        if (booleanField(input, "dryRun")) return answer(200, () => service.check(request, actorOf(client)));
        return published(() => service.publish(request, actorOf(client), publishOptions(input)));
      },
    },
  ];
  // A gateway serving a file would never switch to what the registry publishes.
  return routes.map((route) => ({
    ...route,
    async handle(request) {
      if (!registry.enabled) {
        throw new Refusal(
          "REGISTRY_NOT_IN_USE",
          "this gateway serves a supergraph file, not the department registry (SUPERGRAPH_SOURCE)",
        );
      }
      return route.handle(request);
    },
  }));
}
