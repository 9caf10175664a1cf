import { closeServer, listen, sendJson } from "@onecert/subgraph-kit";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealthChecker } from "./health";

let healthy = true;
let url = "";
const server = createServer((_req, res) => {
  if (healthy) sendJson(res, 200, { data: { __typename: "Query" } });
  else sendJson(res, 503, { errors: [{ message: "maintenance" }] });
});

beforeAll(async () => {
  const address = await listen(server, 0, "127.0.0.1");
  url = `http://127.0.0.1:${address.port}/graphql`;
});
afterAll(() => closeServer(server));

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("not within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("health checker", () => {
  it("probes the tracked subgraphs periodically and keeps the last error after recovery", async () => {
    const checker = createHealthChecker({ intervalMs: 50 });
    try {
      checker.track([
        { name: "marriage", url },
        { name: "gone", url: "http://127.0.0.1:1/graphql" },
      ]);
      await until(() => checker.status("marriage")?.status === "up");
      expect(checker.status("marriage")).toMatchObject({ lastError: null, lastErrorAt: null });
      await until(() => checker.status("gone")?.lastError === "unreachable");

      healthy = false;
      await until(() => checker.status("marriage")?.status === "down");
      expect(checker.status("marriage")!.lastError).toBe("HTTP 503");
      healthy = true;
      await until(() => checker.status("marriage")?.status === "up");
      expect(checker.status("marriage")).toMatchObject({ lastError: "HTTP 503" });
      expect(checker.status("marriage")!.lastErrorAt).not.toBeNull();

      checker.track([{ name: "marriage", url }]);
      expect(checker.status("gone")).toBeUndefined();
      const now = await checker.probeAll();
      expect(now.map((status) => [status.name, status.status])).toEqual([["marriage", "up"]]);
    } finally {
      checker.close();
      healthy = true;
    }
  });

  it("shares one probe round among calls that arrive while it runs, and starts a new one after", async () => {
    let probes = 0;
    const checker = createHealthChecker({
      intervalMs: 60_000,
      probe: async (name) => {
        probes += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { name, url, status: "up" as const, latencyMs: 1 };
      },
    });
    try {
      checker.track([
        { name: "a", url },
        { name: "b", url },
      ]);
      const rounds = await Promise.all(Array.from({ length: 20 }, () => checker.probeAll()));
      expect(probes).toBe(2);
      expect(rounds.every((round) => round === rounds[0])).toBe(true);
      await checker.probeAll();
      expect(probes).toBe(4);
    } finally {
      checker.close();
    }
  });
});
