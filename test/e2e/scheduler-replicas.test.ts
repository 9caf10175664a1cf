import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificatesConfigFor } from "@onecert/cli";
import { startCertificates, type RunningCertificates } from "@onecert/certificates";
import { loadGatewayConfig, startGateway, type GatewayConfig, type RunningGateway } from "@onecert/gateway";
import { eventually } from "@onecert/subgraph-kit/testing";
import { scratchDir, testAuditConfig } from "../support/audit";
import { subgraphUrlsOf } from "../support/cache";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Two gateways and two certificates services on one database (the machine's PostgreSQL with
 * DATABASE_URL, else one embedded database in this process), their jobs on short periods: every
 * period of audit retention and of the commitment re-check runs on exactly one of them, and when
 * the replica that ran a job last is stopped, the other runs the next period.
 */

const PERIOD = 1500;
const RETENTION = "audit-retention";
const RECHECK = "commitment-recheck";
const scratch = scratchDir("onecert-scheduler-");
let t: TestStack;
let config: GatewayConfig;
const gateways = new Map<string, RunningGateway>();
const certificates = new Map<string, RunningCertificates>();
let since: Date;

interface Run {
  name: string;
  fence: number;
  owner: string;
  scheduled_for: Date;
  started_at: Date;
  outcome: string | null;
}

const runs = (name: string, after: Date) =>
  t.stack.db.query<Run>(
    `SELECT name, fence, owner, scheduled_for, started_at, outcome FROM scheduler.runs
      WHERE name = $1 AND started_at >= $2 AND scheduled_for IS NOT NULL AND finished_at IS NOT NULL
      ORDER BY fence`,
    [name, after],
  );

const dbNow = async () => (await t.stack.db.query<{ now: Date }>("SELECT now() AS now"))[0].now;

const startReplica = (replica: string) =>
  startGateway(
    { ...config, audit: testAuditConfig(join(scratch.dir, replica), { replica }) },
    { db: t.stack.db, jobs: { periods: { [RETENTION]: PERIOD } } },
  );

/** Each period once, on the grid of the job's schedule, and every run finished ok. */
function expectOncePerPeriod(list: Run[]): void {
  const times = list.map((run) => run.scheduled_for.getTime());
  expect(new Set(times).size).toBe(times.length);
  for (const [index, at] of times.entries()) {
    expect((at - times[0]) % PERIOD).toBe(0);
    if (index > 0) expect(at).toBeGreaterThan(times[index - 1]);
  }
  expect(list.map((run) => run.outcome)).toEqual(list.map(() => "ok"));
}

beforeAll(async () => {
  t = await startTestStack({ certificates: { recheck: { intervalMs: PERIOD } } });
  // The stack's own gateway keeps the daily retention period: the two replicas replace it.
  await t.stack.gateway.stop();
  config = loadGatewayConfig(process.env, {
    port: 0,
    maxEventLoopDelayMs: 0,
    subgraphUrls: subgraphUrlsOf(t.stack),
  });
  gateways.set("gateway-a", await startReplica("gateway-a"));
  gateways.set("gateway-b", await startReplica("gateway-b"));
  certificates.set(t.stack.certificates.scheduler.owner, t.stack.certificates);
  const second = await startCertificates({
    db: t.stack.db,
    config: await certificatesConfigFor(config, process.env, { port: 0, recheck: { intervalMs: PERIOD } }),
    trust: t.stack.trust,
    replica: "certificates-b",
  });
  certificates.set("certificates-b", second);
  since = await dbNow();
}, 180_000);

afterAll(async () => {
  for (const gateway of gateways.values()) await gateway.stop();
  for (const service of certificates.values()) await service.stop();
  await t?.stop();
  scratch.cleanup();
});

describe("scheduled jobs across two replicas", () => {
  it("runs each period of retention and of the re-check once across both", async () => {
    await eventually(
      async () => (await runs(RETENTION, since)).length >= 4 && (await runs(RECHECK, since)).length >= 4,
      "four periods of each job",
      60_000,
    );
    const retention = await runs(RETENTION, since);
    expectOncePerPeriod(retention);
    expect(retention.every((run) => gateways.has(run.owner))).toBe(true);
    const recheck = await runs(RECHECK, since);
    expectOncePerPeriod(recheck);
    expect(recheck.every((run) => certificates.has(run.owner))).toBe(true);

    // Admins see the jobs in /ready's details and on /metrics, from either replica.
    const base = gateways.get("gateway-b")!.url.replace(/\/graphql$/, "");
    const auth = { authorization: `Bearer ${t.keys.admin}` };
    const ready = (await (await fetch(`${base}/ready`, { headers: auth })).json()) as {
      jobs: { name: string; periodMs: number; lastOutcome: string | null; runs: number }[];
    };
    expect(ready.jobs.map((job) => job.name).sort()).toEqual([RETENTION, "usage-prune"]);
    expect(ready.jobs.find((job) => job.name === RETENTION)).toMatchObject({
      periodMs: PERIOD,
      lastOutcome: "ok",
    });
    const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/onecert_job_last_success_timestamp_seconds\{job="audit-retention"\} \d/);
    expect(metrics).toMatch(/onecert_job_runs_total\{job="audit-retention",outcome="ok"\} \d/);
    expect(metrics).toContain('onecert_job_running{job="audit-retention"}');
  });

  it("goes on in the other replica when the one that ran a job last is stopped", async () => {
    const survivors = { gateway: "", certificates: "" };
    for (const [name, replicas] of [
      [RETENTION, gateways],
      [RECHECK, certificates],
    ] as const) {
      const last = (await runs(name, since)).at(-1)!;
      const holder = replicas.get(last.owner)!;
      await holder.stop();
      replicas.delete(last.owner);
      const [survivor] = [...replicas.keys()];
      if (name === RETENTION) survivors.gateway = survivor;
      else survivors.certificates = survivor;
      const stoppedAt = await dbNow();
      const next = await eventually(
        async () => (await runs(name, stoppedAt))[0],
        `the next ${name} run after ${last.owner} stopped`,
        30_000,
      );
      expect(next.owner).toBe(survivor);
      expect(next.scheduled_for.getTime()).toBeGreaterThan(last.scheduled_for.getTime());
      expect((next.scheduled_for.getTime() - last.scheduled_for.getTime()) % PERIOD).toBe(0);
      expectOncePerPeriod(await runs(name, since));
    }
    const [retention] = (await gateways.get(survivors.gateway)!.scheduler.status()).filter(
      (job) => job.name === RETENTION,
    );
    expect(retention.lastRunOn).toBe(survivors.gateway);
    expect(retention.here.ok).toBeGreaterThan(0);
  });
});
