import type { FastifySerializerCompiler } from "fastify";
import { ResponseSerializationError } from "fastify-type-provider-zod";
import { safeParse, $ZodType } from "zod/v4/core";

const plain = (data: unknown) => JSON.stringify(data);

/**
 * Answers are serialized as they are. With `check`, each is first read back as the JSON a client
 * receives (dates as strings) and validated against its route's declared schema: a mismatch is a
 * 500, so a test that calls an endpoint also proves its OpenAPI description true.
 */
export function answerSerializer(check: boolean): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    if (!check || !(schema instanceof $ZodType)) return plain;
    return (data: unknown) => {
      const text = JSON.stringify(data);
      const result = safeParse(schema, JSON.parse(text));
      if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
      return text;
    };
  };
}
