import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedRequest {
  subgraph: string;
  body: string;
}

export interface CapturingProxy {
  url: string;
  captured: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy that records each request body, to learn exactly which operations
 * the gateway sends a subgraph for a query, so the subgraph can be benchmarked with them alone.
 */
export async function capturingProxy(
  subgraph: string,
  target: string,
  captured: CapturedRequest[],
): Promise<CapturingProxy> {
  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    captured.push({ subgraph, body });
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  };
  const server: Server = createServer((req, res) => {
    relay(req, res).catch(() => {
      res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    captured,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
