import type { Redis } from "ioredis";

// Tags first, then the entry: an entry never exists without the tags that invalidate it.
const SCRIPT = `
for i = 2, #KEYS do
  redis.call("SADD", KEYS[i], KEYS[1])
  redis.call("PEXPIREAT", KEYS[i], ARGV[3])
end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
`;

const COMMAND = "onecertCacheSet";
type WithCommand = Record<typeof COMMAND, (...args: (string | number)[]) => Promise<unknown>>;

/** Teaches a (single-node) connection the tagged write; keys of several slots rule out Redis Cluster. */
export function defineTaggedSet(redis: Redis): void {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: SCRIPT });
}

/**
 * Adds `entry` to every tag set (each expiring at `expireAt`, epoch ms) and stores it for `px` ms,
 * atomically and in one command: three commands per tag would cost the cold path more.
 */
export async function taggedSet(
  redis: Redis,
  entry: string,
  tags: readonly string[],
  value: string,
  px: number,
  expireAt: number,
): Promise<void> {
  await (redis as unknown as WithCommand)[COMMAND](1 + tags.length, entry, ...tags, value, px, expireAt);
}
