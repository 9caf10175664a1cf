import { createLogger } from "@onecert/subgraph-kit";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
