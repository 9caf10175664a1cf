import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { subgraphClient } from "./http-client";

const QUERY = JSON.stringify({ query: "query { ping }" });
const MUTATION = JSON.stringify({ query: "mutation { changeAddress }" });

/**
 * A subgraph that drops the connection, without answering, on the request numbers given: what a
 * keep-alive socket the server closed as idle looks like to the client that just picked it up.
 */
async function flakySubgraph(drop: number[]): Promise<{ url: string; seen: () => number; server: Server }> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    if (drop.includes(count)) {
      request.socket.destroy();
      return;
    }
    request.resume();
    request.on("end", () => response.end(JSON.stringify({ data: { n: count } })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, seen: () => count, server };
}

describe("subgraphClient on a broken kept-alive connection", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const close of cleanup.splice(0)) close();
  });

  async function setUp(drop: number[]) {
    const subgraph = await flakySubgraph(drop);
    const client = subgraphClient({ timeoutMs: 2000 });
    cleanup.push(() => {
      client.close();
      subgraph.server.close();
    });
    return { ...subgraph, client };
  }

  it("sends a query once more on a fresh connection", async () => {
    const { url, seen, client } = await setUp([2]);
    expect((await client(url, { body: QUERY })).status).toBe(200);
    const retried = await client(url, { body: QUERY });
    expect(await retried.json()).toEqual({ data: { n: 3 } });
    expect(seen()).toBe(3);
  });

  it("does not resend a mutation the subgraph may have applied", async () => {
    const { url, seen, client } = await setUp([2]);
    await client(url, { body: MUTATION });
    await expect(client(url, { body: MUTATION })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(seen()).toBe(2);
  });

  it("does not retry a call that failed on a new connection", async () => {
    const { url, seen, client } = await setUp([1]);
    await expect(client(url, { body: QUERY })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(seen()).toBe(1);
  });

  it("retries once only", async () => {
    const { url, seen, client } = await setUp([2, 3]);
    await client(url, { body: QUERY });
    await expect(client(url, { body: QUERY })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(seen()).toBe(3);
  });
});
