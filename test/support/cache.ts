import { createLogger } from "@onecert/subgraph-kit";
import { postGraphQL, type GraphQLReply } from "@onecert/subgraph-kit/testing";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { loadGatewayConfig, startGateway, type GatewayConfig, type RunningGateway } from "@onecert/gateway";
import { type Stack } from "@onecert/cli";

/** The machine's shared Redis (CI: 127.0.0.1:6379); tests only touch keys and streams under their own prefix. */
export { TEST_REDIS_URL as REDIS_URL } from "@onecert/subgraph-kit/testing";

/** A fresh key prefix and invalidation stream for one test file, so parallel files never meet. */
export function testNamespace(): { prefix: string; channel: string } {
  const id = randomBytes(6).toString("hex");
  return { prefix: `onecert:test-${id}:`, channel: `onecert:test-${id}:invalidation` };
}

/** Every key matching `pattern` (SCAN, never KEYS). */
export async function keysMatching(url: string, pattern: string): Promise<string[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const found: string[] = [];
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return found;
}

/** Deletes every key under `prefix`. */
export async function dropKeys(url: string, prefix: string): Promise<number> {
  const keys = await keysMatching(url, `${prefix}*`);
  if (keys.length === 0) return 0;
  const redis = new Redis(url);
  try {
    return await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** The URL of every subgraph a stack serves (the registries and, when there is one, the certificates service). */
export function subgraphUrlsOf(stack: Stack): Record<string, string> {
  const services: { name: string; url: string }[] = [...stack.registries];
  const extra = (stack as { certificates?: { name: string; url: string } }).certificates;
  if (extra) services.push(extra);
  return Object.fromEntries(services.map((service) => [service.name, service.url]));
}

/** Another gateway in this process over the stack's subgraphs and database (so the same API keys work). */
export async function startExtraGateway(
  stack: Stack,
  overrides: Omit<Partial<GatewayConfig>, "cache"> & { cache?: Partial<GatewayConfig["cache"]> },
): Promise<RunningGateway> {
  const base = loadGatewayConfig(process.env, { port: 0 });
  const config = loadGatewayConfig(process.env, {
    ...overrides,
    port: 0,
    subgraphUrls: subgraphUrlsOf(stack),
    cache: { ...base.cache, ...overrides.cache },
  });
  return startGateway(config, { db: stack.db, logger: createLogger("extra-gateway"), checkResponses: true });
}

/** Polls `probe` until it returns a value other than undefined/false; throws naming `what` after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One request and the cache headers of its reply. */
export async function ask<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLReply<Data> & { cache: string | null; cacheControl: string | null }> {
  const reply = await postGraphQL<Data>(url, query, variables, headers);
  return { ...reply, cache: reply.headers.get("x-cache"), cacheControl: reply.headers.get("cache-control") };
}
