import { readFile } from "node:fs/promises";
import { publicKeyFromJwk, type AnyJwk, type Keyring, type SuitePublicKey } from "../crypto";

/** The gateway's public hop keys, as a subgraph learns them. */
export interface HopKeySource {
  /** The key of `kid`; fetched again (at most once per cooldown) when it is not known yet. */
  key(kid: string): Promise<SuitePublicKey | undefined>;
}

export interface HopKeySourceOptions {
  /** The gateway's JWKS: an http(s) URL (GATEWAY_JWKS_URL) or a file path (GATEWAY_JWKS_FILE). */
  jwks: string;
  /** Keys are read again after this long even when every kid is known, in ms. Default 300000. */
  maxAgeMs?: number;
  /** Fewest ms between two reads for an unknown kid, so a flood of bad kids cannot flood the gateway. Default 1000. */
  cooldownMs?: number;
  /** Bound on one read, in ms. Default 5000. */
  timeoutMs?: number;
}

/** Reads a JWKS ({ keys: [...] }) from a URL or a file, keeping each usable key by kid. */
async function readJwks(source: string, timeoutMs: number): Promise<Map<string, SuitePublicKey>> {
  const text = /^https?:\/\//.test(source)
    ? await fetch(source, { signal: AbortSignal.timeout(timeoutMs) }).then((response) => {
        if (!response.ok) throw new Error(`${source} answered HTTP ${response.status}`);
        return response.text();
      })
    : await readFile(source, "utf8");
  const parsed = JSON.parse(text) as { keys?: (AnyJwk & { kid?: unknown })[] };
  const keys = new Map<string, SuitePublicKey>();
  for (const jwk of parsed.keys ?? []) {
    if (typeof jwk.kid !== "string") continue;
    try {
      keys.set(jwk.kid, publicKeyFromJwk(jwk));
    } catch {
      // A key of a kind no suite knows is not one the gateway signs with: skipped.
    }
  }
  return keys;
}

/** Keys from the gateway's JWKS, cached, refreshed on an unknown kid (after a cooldown) and when old. */
export function hopKeySource(options: HopKeySourceOptions): HopKeySource {
  const maxAgeMs = options.maxAgeMs ?? 300_000;
  const cooldownMs = options.cooldownMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  let keys = new Map<string, SuitePublicKey>();
  let readAt = 0;
  let reading: Promise<void> | null = null;
  const refresh = () =>
    (reading ??= readJwks(options.jwks, timeoutMs)
      .then((fresh) => {
        keys = fresh;
      })
      .finally(() => {
        readAt = Date.now();
        reading = null;
      }));
  return {
    async key(kid) {
      const age = Date.now() - readAt;
      if (age > maxAgeMs || (!keys.has(kid) && age > cooldownMs)) await refresh().catch(() => undefined);
      return keys.get(kid);
    },
  };
}

/**
 * The gateway's hop keys read straight from the keyring in the database the gateway uses: for
 * services that share its database (the development stack, the certificates service).
 */
export function keyringKeySource(keyring: Keyring, cooldownMs = 1000): HopKeySource {
  let keys = new Map<string, SuitePublicKey>();
  let readAt = 0;
  let reading: Promise<void> | null = null;
  const read = async () => {
    // A kid met within the cooldown of the last read (a key made just after it, as when the
    // gateway and its subgraphs start together) waits for the next read rather than failing.
    const wait = readAt + cooldownMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    readAt = Date.now();
    try {
      keys = new Map((await keyring.published()).map((key) => [key.kid, publicKeyFromJwk(key.publicJwk)]));
    } catch {
      // The keyring is not there yet (no gateway ever started on this database): no key.
    }
  };
  return {
    async key(kid) {
      const asked = Date.now();
      // At most two reads: one in flight may have started before the key was made.
      for (let round = 0; round < 2 && !keys.has(kid) && (round === 0 || readAt < asked); round += 1) {
        reading ??= read().finally(() => (reading = null));
        await reading;
      }
      return keys.get(kid);
    },
  };
}
