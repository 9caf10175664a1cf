import { createLogger } from "@onecert/subgraph-kit";
import { AuthenticationError } from "@onecert/access";
import type { AuditEntry, AuditRecorder } from "@onecert/audit";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { route } from "../admin/types";
import { registerAdminRoutes } from "./admin";
import { createEdge } from "./app";

// The router refuses some paths before any hook runs (a segment that does not decode, one past
// the length limit): those answers must still be recorded and keep the gateway's shape.

const recorded: AuditEntry[] = [];
// The trail's interface: what the edge hands a record to (the trail itself is tested end to end).
const trail: AuditRecorder = {
  config: { replica: "test" } as AuditRecorder["config"],
  record: (entry) => {
    recorded.push(entry);
    return Promise.resolve();
  },
};
let app: FastifyInstance;

beforeAll(async () => {
  app = await createEdge({
    maxBodyBytes: 1024,
    logger: createLogger("router-test"),
    audit: trail,
    authenticate: () => Promise.reject(new AuthenticationError("missing credentials")),
    onBehalf: () => Promise.reject(new AuthenticationError("none")),
  });
  registerAdminRoutes(app, [
    route({
      method: "GET",
      pattern: "/things/:id",
      roles: ["admin"],
      tag: "test",
      summary: "a thing",
      schema: { response: z.null() },
      handle: () => Promise.resolve({ status: 200, body: null }),
    }),
  ]);
  await app.ready();
});
afterAll(() => app.close());

describe("refusals of the router", () => {
  it.each([
    ["/admin/things/%zz", 400, "BAD_REQUEST"],
    [`/admin/things/${"x".repeat(600)}`, 414, "URI_TOO_LONG"],
  ])("%s is answered %i %s and recorded", async (url, status, code) => {
    recorded.length = 0;
    const reply = await app.inject({ url });
    expect(reply.statusCode).toBe(status);
    expect(reply.json()).toMatchObject({ error: { code } });
    expect(reply.headers["x-request-id"]).toBeTruthy();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ status, errorCode: code, requestId: reply.headers["x-request-id"] });
  });

  it("records an ordinary refusal the same way (401 before routing)", async () => {
    recorded.length = 0;
    const reply = await app.inject({ url: "/admin/things/a" });
    expect(reply.statusCode).toBe(401);
    expect(recorded).toMatchObject([{ status: 401 }]);
  });
});
