import { Refusal } from "@onecert/subgraph-kit";
import { OperationRegistrationError } from "@onecert/access";
import type { Role, OperationStore } from "@onecert/access";
import { objectBody, stringField } from "./body";
import { type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
/** The largest document the gateway accepts at all (LIMIT_MAX_DOCUMENT_BYTES tops out at 1 MiB). */
const MAX_QUERY_LENGTH = 1024 * 1024;

/** The safelist's admin endpoints: POST /operations registers an operation, GET /operations lists them. */
export function operationRoutes(operations: OperationStore): AdminRoute[] {
  return [
    {
      method: "POST",
      pattern: "/operations",
      roles: ADMIN,
      async handle({ body, client }) {
        const input = objectBody(body, ["name", "query", "clientId"]);
        const registration = {
          name: stringField(input, "name", 200, true).trim(),
          query: stringField(input, "query", MAX_QUERY_LENGTH, true),
          clientId: stringField(input, "clientId", 200) ?? null,
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
    },
    {
      method: "GET",
      pattern: "/operations",
      roles: ADMIN,
      async handle() {
        return { status: 200, body: await operations.list() };
      },
    },
  ];
}
