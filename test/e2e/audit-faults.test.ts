import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadGatewayConfig, startGateway, type RunningGateway } from "@onecert/gateway";
import { describeWith, TEST_POSTGRES_URL } from "@onecert/subgraph-kit/testing";
import { scratchDir, testAuditConfig } from "../support/audit";
import { drive } from "../support/gateway-process";
import { startTestStack, type TestStack } from "../support/stack";
import { startTcpRelay, type TcpRelay } from "../support/tcp-relay";

describeWith(["postgres"], "faults of the PostgreSQL under the gateway", () => {
  /**
   * The gateway's databases behind a TCP relay on loopback that can refuse connections (a
   * database that is down) or cut them (one that restarted). A spool-mode gateway starts while
   * its audit database is down and replays once it is back; a gateway whose database connections
   * are cut under load answers no request with 500. PostgreSQL at 127.0.0.1:5432 without
   * DATABASE_URL; skipped, saying so, without it.
   */
  process.env.DATABASE_URL ||= TEST_POSTGRES_URL;
  const scratch = scratchDir();
  let t: TestStack;
  let relay: TcpRelay;
  const viaRelay = (url: string) => {
    const parsed = new URL(url);
    parsed.host = `127.0.0.1:${relay.port}`;
    return parsed.toString();
  };
  const subgraphUrls = () =>
    Object.fromEntries(t.stack.registries.map((service) => [service.name, service.url]));
  const BODY = { query: "query($id: IdNumber!) { person(idNumber: $id) { status } }" };

  beforeAll(async () => {
    t = await startTestStack();
    const url = new URL((t.stack.db as { url?: string }).url!);
    relay = await startTcpRelay({ host: url.hostname, port: Number(url.port || 5432) });
  }, 180_000);

  afterAll(async () => {
    await relay?.close();
    await t?.stop();
    scratch.cleanup();
  });

  it("a spool-mode gateway starts with its audit database down, spools, and replays when it is back", async () => {
    relay.down();
    const dbUrl = (t.stack.db as { url?: string }).url!;
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGateway(
        loadGatewayConfig(process.env, {
          port: 0,
          subgraphUrls: subgraphUrls(),
          audit: testAuditConfig(scratch.dir, {
            failureMode: "spool",
            spoolDir: join(scratch.dir, "spool"),
            databaseUrl: viaRelay(dbUrl),
            replica: "spooling-replica",
          }),
        }),
        { db: t.stack.db },
      );
      const served = await drive({
        targets: [gateway.url],
        concurrency: 4,
        total: 20,
        bodies: [{ ...BODY, variables: { id: t.sample("person-showcase") } }],
        headers: t.headers,
        prefix: "spooled-at-start",
      });
      expect([...served.answered.values()]).toEqual(Array(20).fill(200));
      relay.up();
      const ids = [...served.answered.keys()];
      let found = 0;
      for (let i = 0; i < 120 && found < ids.length; i += 1) {
        await gateway.audit!.replaySpool().catch(() => 0);
        const rows = await t.stack.db.query<{ n: string }>(
          "SELECT count(DISTINCT request_id) AS n FROM audit.records WHERE request_id = ANY($1::text[])",
          [ids],
        );
        found = Number(rows[0].n);
        if (found < ids.length) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(found).toBe(ids.length);
    } finally {
      relay.up();
      await gateway?.stop();
    }
  }, 120_000);

  it("answers no request with 500 while its database connections are cut under load", async () => {
    const dbUrl = (t.stack.db as { url?: string }).url!;
    const gateway = await startGateway(
      loadGatewayConfig(process.env, {
        port: 0,
        subgraphUrls: subgraphUrls(),
        database: { ...loadGatewayConfig().database, url: viaRelay(dbUrl) },
        audit: testAuditConfig(scratch.dir, { databaseUrl: viaRelay(dbUrl), replica: "cut-replica" }),
      }),
    );
    try {
      let cuts = 0;
      let backUp: Promise<void> = Promise.resolve();
      const report = await drive({
        targets: [gateway.url],
        concurrency: 8,
        total: 100_000,
        bodies: [{ ...BODY, variables: { id: t.sample("person-two-homes") } }],
        headers: t.headers,
        prefix: "cut",
        stop: (progress) => {
          // Cut every connection three times along the way, as a restarting database does; the
          // last time it stays down for 1.5 s, refusing connections, before it is back.
          if (progress.answered.size >= 100 * (cuts + 1) && cuts < 3) {
            cuts += 1;
            if (cuts < 3) relay.cut();
            else {
              relay.down();
              backUp = new Promise((resolve) => setTimeout(() => resolve(relay.up()), 1500));
            }
          }
          return progress.answered.size >= 450;
        },
      });
      const statuses = [...report.answered.values()];
      expect(cuts).toBe(3);
      expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(200);
      expect(report.unanswered).toBe(0);
      // Back to normal once the database is (the first statements after it reconnect).
      await backUp;
      const settled = Date.now() + 10_000;
      while (Date.now() < settled) {
        const probe = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...t.headers },
          body: JSON.stringify({ ...BODY, variables: { id: t.sample("person-two-homes") } }),
        });
        if (probe.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const after = await drive({
        targets: [gateway.url],
        concurrency: 2,
        total: 20,
        bodies: [{ ...BODY, variables: { id: t.sample("person-two-homes") } }],
        headers: t.headers,
        prefix: "after-cut",
      });
      expect([...after.answered.values()]).toEqual(Array(20).fill(200));
      // The unsigned window is on /metrics, and so are the requests refused for want of a record.
      const metrics = await fetch(gateway.url.replace(/\/graphql$/, "/metrics"), {
        headers: { authorization: `Bearer ${t.keys.admin}` },
      }).then((response) => response.text());
      expect(metrics).toMatch(/^onecert_audit_unsigned_records \d+$/m);
      const refused = Number(/^onecert_audit_refused_unrecorded_total (\d+)$/m.exec(metrics)?.[1]);
      // (The probes while it came back may add to them.)
      expect(refused).toBeGreaterThanOrEqual(statuses.filter((status) => status === 503).length);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await gateway.stop();
    }
  }, 120_000);
});
