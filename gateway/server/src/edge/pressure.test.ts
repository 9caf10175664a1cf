import { createLogger } from "@onecert/subgraph-kit";
import { AuthenticationError } from "@onecert/access";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createEdge } from "./app";

// Load shedding: while the event loop lags past the bound, callers get a quick 503 with
// retry-after instead of waiting in a queue until they time out; liveness still answers.

let app: FastifyInstance;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  app = await createEdge({
    maxBodyBytes: 1024,
    maxEventLoopDelayMs: 100,
    pressureSampleMs: 200,
    logger: createLogger("pressure-test"),
    audit: null,
    authenticate: () => Promise.reject(new AuthenticationError("missing credentials")),
    onBehalf: () => Promise.reject(new AuthenticationError("none")),
  });
  app.get("/health", { config: { public: true, pressureHandler: () => undefined } }, async () => ({
    status: "ok",
  }));
  await app.ready();
});
afterAll(() => app.close());

describe("the edge under pressure", () => {
  it("answers 503 OVERLOADED with retry-after while the event loop lags, then recovers", async () => {
    expect((await app.inject({ url: "/graphql" })).statusCode).toBe(401);
    const until = Date.now() + 3000;
    while (Date.now() < until); // a stalled event loop, as a CPU-bound burst would leave it
    // The lag shows from the next sample on (the mean delay of a 200 ms window).
    let shed = await app.inject({ url: "/graphql" });
    for (let tries = 0; tries < 50 && shed.statusCode !== 503; tries += 1) {
      await sleep(20);
      shed = await app.inject({ url: "/graphql" });
    }
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("5");
    expect(shed.json()).toEqual({
      errors: [
        { message: "the gateway is overloaded; try again shortly", extensions: { code: "OVERLOADED" } },
      ],
    });
    expect((await app.inject({ url: "/health" })).statusCode).toBe(200);
    let answered = shed.statusCode;
    for (let tries = 0; tries < 50 && answered === 503; tries += 1) {
      await sleep(100);
      answered = (await app.inject({ url: "/graphql" })).statusCode;
    }
    expect(answered).toBe(401);
  });
});
