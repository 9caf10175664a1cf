import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

export interface OpenApiOptions {
  /** The API's version in the document; default the gateway package's. */
  version: string;
}

const DESCRIPTION =
  "The admin, department and auditor API of the OneCert gateway. Every call needs a credential " +
  "(`authorization: Bearer <API key or client JWT>`); each endpoint names the roles that may call it. " +
  'Success answers are `{"data": ...}`; refusals `{"error": {"code", "message", "details"}}` with a ' +
  "stable code. Every call is recorded in the audit trail.";

/**
 * Collects the routes declared after it into an OpenAPI 3.1 document, served to any
 * authenticated client at GET /admin/openapi.json. Register it before the routes.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "OneCert gateway admin API", version: options.version, description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API key (oc_key_...) or a client JWT" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get("/admin/openapi.json", { schema: { hide: true } }, async (_request, reply) =>
    reply.header("cache-control", "no-store").send(app.swagger()),
  );
}
