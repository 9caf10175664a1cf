import { Refusal } from "@onecert/subgraph-kit";
import { OperationRegistrationError } from "@onecert/access";
import type { Role, OperationStore } from "@onecert/access";
import { z } from "zod";
import { object, optionalText, text } from "./fields";
import { persistedOperation } from "./models";
import { route, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
/** The largest document the gateway accepts at all (LIMIT_MAX_DOCUMENT_BYTES tops out at 1 MiB). */
const MAX_QUERY_LENGTH = 1024 * 1024;

/** The safelist's admin endpoints: POST /operations registers an operation, GET /operations lists them. */
export function operationRoutes(operations: OperationStore): AdminRoute[] {
  return [
    route({
      method: "POST",
      pattern: "/operations",
      roles: ADMIN,
      tag: "operations",
      summary: "Register an operation on the safelist (for one client, or any)",
      schema: {
        body: object({ name: text(200), query: text(MAX_QUERY_LENGTH), clientId: optionalText(200) }),
        response: z.object({ hash: z.string().meta({ description: "SHA-256 hex of the query text" }) }),
      },
      async handle({ body, client }) {
        const registration = {
          name: body.name.trim(),
          query: body.query,
          clientId: body.clientId ?? null,
          registeredBy: client.id,
        };
        try {
          return { status: 201, body: await operations.register(registration) };
        } catch (error) {
          if (!(error instanceof OperationRegistrationError)) throw error;
          if (error.reason === "CONFLICT") throw new Refusal("CONFLICT", error.message);
          throw new Refusal("BAD_REQUEST", error.message);
        }
      },
    }),
    route({
      method: "GET",
      pattern: "/operations",
      roles: ADMIN,
      tag: "operations",
      summary: "List the safelist",
      schema: { response: z.array(persistedOperation) },
      async handle() {
        return { status: 200, body: await operations.list() };
      },
    }),
  ];
}
