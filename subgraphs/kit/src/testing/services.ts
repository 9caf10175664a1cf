import { describe, inject, it } from "vitest";

// The services a test may need, probed once per run (test/support/services-setup.ts, the global
// setup of the integration and e2e tiers) so that a test that cannot run says so, loudly, instead
// of failing on a missing server.

/** The Redis tests use: REDIS_URL, else the machine's at 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
/** The PostgreSQL tests use when one is required: DATABASE_URL, else the machine's at 127.0.0.1:5432. */
export const TEST_POSTGRES_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

/** `chromium`: the Debian browser the console's browser tests drive (CHROMIUM_PATH, else /usr/bin/chromium). */
export type TestService = "redis" | "postgres" | "redis-server" | "chromium";

/** What the probe found: each service, and why a missing one is missing. */
export type ServiceProbe = Record<TestService, { available: boolean; detail: string }>;

declare module "vitest" {
  export interface ProvidedContext {
    services: ServiceProbe;
  }
}

/** The services of `needed` this run lacks, with why; empty when all are there. */
export function missingServices(needed: readonly TestService[]): string[] {
  const probe = inject("services") as ServiceProbe | undefined;
  if (!probe) throw new Error("needs the services probe: run this file in the integration or e2e tier");
  return needed.filter((name) => !probe[name].available).map((name) => probe[name].detail);
}

/**
 * `describe` for tests that need real services: skipped, with what is missing in its title,
 * when the run has not got them. The run's summary line (services-setup) lists the skips.
 */
export function describeWith(needed: readonly TestService[], name: string, body: () => void): void {
  const missing = missingServices(needed);
  if (missing.length === 0) describe(name, body);
  // The body is not even collected: it would open connections to what is not there.
  else describe(name, () => it.skip(`SKIPPED, needs ${missing.join("; ")}`, () => undefined));
}
