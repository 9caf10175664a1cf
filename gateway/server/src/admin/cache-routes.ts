import { Refusal } from "@onecert/subgraph-kit";
import { randomUUID } from "node:crypto";
import { typeTag, type GatewayCache } from "../cache";
import type { Role } from "@onecert/access";
import { z } from "zod";
import { flag, object, optionalText } from "./fields";
import { route, type AdminRoute } from "./types";

const ADMIN: readonly Role[] = ["admin"];
const NAME = /^[A-Za-z_]\w{0,63}$/;

/**
 * The cache's admin endpoints: counters, and invalidation by type, type and key, tag, or all.
 * An invalidation is applied here and published on the invalidation bus, so every replica drops
 * its entries too (with Redis they share the store; the bus also stops their in-flight fetches
 * from storing what they read before it).
 */
export function cacheRoutes(cache: GatewayCache): AdminRoute[] {
  return [
    route({
      method: "GET",
      pattern: "/cache",
      roles: ["admin", "auditor"],
      tag: "cache",
      summary: "The cache's backend, state and counters",
      schema: {
        response: z.object({
          enabled: z.boolean(),
          backend: z.string(),
          degraded: z.boolean(),
          counters: z.record(z.string(), z.number()),
        }),
      },
      async handle() {
        const counters = Object.fromEntries(cache.store.counters());
        return {
          status: 200,
          body: {
            enabled: cache.config.enabled,
            backend: cache.store.kind,
            degraded: cache.store.degraded,
            counters,
          },
        };
      },
    }),
    route({
      method: "POST",
      pattern: "/cache/invalidate",
      roles: ADMIN,
      tag: "cache",
      summary: "Drop cached entries by type (and key), tag, or all, on every replica",
      schema: {
        body: object({ type: optionalText(64), key: optionalText(256), tag: optionalText(330), all: flag() }),
        response: z.union([
          z.object({ invalidated: z.literal("all") }),
          z.object({
            dropped: z.number().int(),
            type: z.string(),
            key: z.string().nullable(),
            tags: z.array(z.string()),
          }),
        ]),
      },
      async handle({ body }) {
        const { type, key, tag } = body;
        const all = body.all ?? false;
        const given = [type !== undefined, tag !== undefined, all].filter(Boolean).length;
        if (given !== 1 || (key !== undefined && type === undefined)) {
          throw new Refusal("BAD_REQUEST", "give exactly one of: type (with an optional key), tag, all");
        }
        if (type !== undefined && !NAME.test(type))
          throw new Refusal("BAD_REQUEST", "type must be a type name");
        if (tag !== undefined && !/^[A-Za-z_]\w*:\S+$/.test(tag)) {
          throw new Refusal("BAD_REQUEST", 'tag must read "Type:key", e.g. "Household:H99010100000001"');
        }
        if (all) {
          await cache.invalidator.flush();
          return { status: 200, body: { invalidated: "all" } };
        }
        const id = randomUUID();
        // "Type" alone drops everything of the type, "Type:key" one entity, a tag its group.
        const change =
          tag !== undefined
            ? { type: tag.slice(0, tag.indexOf(":")), key: null, tags: [tag] }
            : { type: type!, key: key ?? null, tags: key === undefined ? [typeTag(type!)] : [] };
        const dropped = await cache.invalidator.apply(change, id);
        await cache.bus
          .publish({ id, source: "gateway", ...change, at: new Date().toISOString() })
          .catch((error: unknown) => {
            throw new Refusal(
              "BUS_UNAVAILABLE",
              `dropped ${dropped} entries here; other replicas not told: ${String(error)}`,
            );
          });
        return { status: 200, body: { dropped, ...change } };
      },
    }),
  ];
}
