import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupingFetcher, inFlightKey } from "./inflight";

/** A slow HTTP endpoint that counts the requests it receives. */
let server: Server;
let url = "";
let received = 0;
const release: (() => void)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received += 1;
    const n = received;
    req.resume();
    release.push(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: { n } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const init = (body: string, requestId: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-request-id": requestId },
  body,
});

/** Answers once `count` requests have arrived (a bound for a hung test is vitest's timeout). */
async function settle(count: number): Promise<void> {
  while (release.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  for (const done of release.splice(0)) done();
}

describe("dedupingFetcher", () => {
  it("sends identical queries in flight at once a single time, each caller getting its own body", async () => {
    const fetcher = dedupingFetcher((input, options) => fetch(input, options as RequestInit));
    const body = '{"query":"query Q{a}","variables":{}}';
    received = 0;
    const all = Promise.all([
      fetcher(url, init(body, "r1")),
      fetcher(url, init(body, "r2")),
      fetcher(url, init(body, "r3")),
    ]);
    await settle(1);
    const parsed = await Promise.all(
      (await all).map((response) => response.json() as Promise<{ data: { n: number } }>),
    );
    expect(received).toBe(1);
    expect(parsed).toEqual([{ data: { n: 1 } }, { data: { n: 1 } }, { data: { n: 1 } }]);
    parsed[0].data.n = 99;
    expect(parsed[1].data.n).toBe(1);
    expect(fetcher.pending).toBe(0);
  });

  it("sends different queries, later queries and mutations separately", async () => {
    const fetcher = dedupingFetcher((input, options) => fetch(input, options as RequestInit));
    received = 0;
    const a = fetcher(url, init('{"query":"query Q{a}"}', "r1"));
    const b = fetcher(url, init('{"query":"query Q{b}"}', "r2"));
    const m1 = fetcher(url, init('{"query":"mutation M{c}"}', "r3"));
    const m2 = fetcher(url, init('{"query":"mutation M{c}"}', "r4"));
    await settle(4);
    await Promise.all([a, b, m1, m2]);
    expect(received).toBe(4);
    const later = fetcher(url, init('{"query":"query Q{a}"}', "r5"));
    await settle(1);
    await later;
    expect(received).toBe(5);
  });

  it("keys on every header but the request id", () => {
    const body = '{"query":"query Q{a}"}';
    const base = inFlightKey(url, init(body, "r1"));
    expect(inFlightKey(url, init(body, "r2"))).toBe(base);
    expect(
      inFlightKey(url, { ...init(body, "r1"), headers: { ...init(body, "r1").headers, "x-caller": "b" } }),
    ).not.toBe(base);
    expect(inFlightKey(url, init('{"query":"mutation M{c}"}', "r1"))).toBeNull();
  });
});
