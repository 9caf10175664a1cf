import type { Stack } from "@onecert/cli";
import { README_MATTER } from "@onecert/cli";
import type { LoadResult } from "./load";

/** What every scenario gets from the runner: one seeded stack and a window client allowed the README query. */
export interface BenchContext {
  stack: Stack;
  persons: number;
  /** PostgreSQL, or the embedded database when undefined. */
  databaseUrl?: string;
  /** Headers of a window client with clear-value grants for README_MATTER and no practical rate limit. */
  headers: Record<string, string>;
  /** The URL of every subgraph the stack serves, by name. */
  subgraphUrls: Record<string, string>;
  /**
   * The same subgraphs as bare ones, verifying no assertion and logging nothing: what a plain
   * gateway calls, and what a captured subgraph request can be sent to again.
   */
  bareSubgraphUrls: Record<string, string>;
  /** Up to `count` ACTIVE persons from `offset` on (in ID-number order), for fresh or repeated subjects. */
  subjects(offset: number, count: number): Promise<string[]>;
}

/** What a scenario prints: a table (rows relative to `baseline`) and summary lines under it. */
export interface ScenarioReport {
  title: string;
  results: LoadResult[];
  baseline: LoadResult;
  summary: string[];
  /** A table of its own (a Markdown table), printed instead of the load table: for CPU-cost scenarios. */
  markdown?: string;
}

/**
 * One benchmark: a file in test/bench/scenarios/ exporting `scenario`. The runner finds it there;
 * `npm run bench -- <name> ...` runs only the named ones.
 */
export type Scenario = StackScenario | StandaloneScenario;

/** A scenario run against the seeded stack. */
export interface StackScenario {
  name: string;
  standalone?: false;
  run(context: BenchContext): Promise<ScenarioReport>;
}

/** A scenario that needs no stack (CPU cost of code alone): run alone, no world is seeded for it. */
export interface StandaloneScenario {
  name: string;
  standalone: true;
  run(): Promise<ScenarioReport>;
}

/** Fields outside UNCONDITIONAL that the bench window may read (clear values) for README_MATTER. */
export const BENCH_GRANT_FIELDS = [
  "Person.*",
  "Household.*",
  "HouseholdMember.*",
  "Person.realEstate",
  "RealEstate.*",
  "Person.socialInsurance",
  "SocialInsurance.*",
  "Retirement.*",
];

/** Creates the bench's window client (and an admin to approve its grant); returns its headers. */
export async function benchWindow(stack: Stack): Promise<Record<string, string>> {
  const { identity, grants } = stack.gateway.access;
  const stamp = Date.now().toString(36);
  const admin = await identity.createClient({
    name: `bench-admin-${stamp}`,
    role: "admin",
    department: "bench",
  });
  const window = await identity.createClient({
    name: `bench-window-${stamp}`,
    role: "window",
    department: "government-service-center",
    rateLimitPerMinute: 10_000_000,
  });
  const requested = await grants.request({
    clientId: window.client.id,
    fields: BENCH_GRANT_FIELDS,
    matters: [README_MATTER],
    clearValues: true,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "benchmark",
    requestedBy: admin.client.id,
  });
  await grants.approve(requested.id, admin.client.id);
  return {
    authorization: `Bearer ${window.apiKey}`,
    "x-operator-id": "bench-clerk",
    "x-matter-code": README_MATTER,
  };
}

/** The mean of several runs of one target. */
export function mean(name: string, runs: readonly LoadResult[]): LoadResult {
  const avg = (pick: (run: LoadResult) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return {
    name,
    requestsPerSecond: avg((run) => run.requestsPerSecond),
    p50Ms: avg((run) => run.p50Ms),
    p99Ms: avg((run) => run.p99Ms),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}
