import { createLogger } from "@onecert/subgraph-kit";
import { Redis } from "ioredis";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settledWithin } from "@onecert/subgraph-kit";
import { OutageGuard } from "./guard";

let echo: Server;
let port = 0;
beforeAll(async () => {
  echo = createServer((socket) => socket.on("data", (data) => socket.write(data)));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  port = (echo.address() as AddressInfo).port;
});
afterAll(() => {
  echo.close();
});

/** Sends a line to the echo server and resolves with the reply. */
function roundTrip(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("ping"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once("error", reject);
  });
}

const busy = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe("settledWithin", () => {
  it("reads a reply that arrived while this process was stalled before giving up", async () => {
    // Redis runs in a process of its own: its reply lands in the socket while this one is busy.
    const redis = new Redis(process.env.REDIS_URL || "redis://127.0.0.1:6379");
    try {
      await redis.ping();
      const answer = settledWithin(redis.ping(), 50);
      busy(300);
      await expect(answer).resolves.toBe("PONG");
    } finally {
      redis.disconnect();
    }
  });

  it("rejects what never answers", async () => {
    await expect(settledWithin(new Promise(() => undefined), 20)).rejects.toThrow(/no answer within 20 ms/);
  });
});

describe("OutageGuard", () => {
  it("falls back at once while degraded, probes once per interval, and recovers", async () => {
    let now = 0;
    let connected = true;
    const guard = new OutageGuard({
      logger: createLogger("test", "silent"),
      what: "cache",
      connected: () => connected,
      probeIntervalMs: 1000,
      now: () => now,
    });
    expect(await guard.run(roundTrip, "fallback")).toBe("ping");
    expect(await guard.run(() => Promise.reject(new Error("down")), "fallback")).toBe("fallback");
    expect(guard.degraded).toBe(true);
    let calls = 0;
    const counted = () => ((calls += 1), roundTrip());
    expect(await guard.run(counted, "fallback")).toBe("fallback");
    connected = false;
    now = 1000;
    expect(await guard.run(counted, "fallback")).toBe("fallback");
    expect(calls).toBe(0);
    connected = true;
    expect(await guard.run(counted, "fallback")).toBe("ping");
    expect(calls).toBe(1);
    expect(guard.degraded).toBe(false);
    expect(guard.failures).toBe(1);
  });
});
