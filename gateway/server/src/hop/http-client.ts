import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isQueryBody, type Fetch, type FetchInit } from "../cache/inflight";

/** Client certificate and trust for gateway-to-subgraph TLS (mutual TLS when a certificate is given). */
export interface SubgraphTls {
  /** PEM of the CA(s) that sign the subgraphs' server certificates. */
  ca?: string;
  /** PEM of the gateway's client certificate and its key: subgraphs that require one verify it. */
  cert?: string;
  key?: string;
}

export interface SubgraphClientOptions {
  /** Abort a call after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Idle keep-alive sockets kept per subgraph host. Default 64. */
  maxSockets?: number;
  tls?: SubgraphTls;
}

/**
 * The gateway's HTTP client for subgraph calls: node:http(s) on keep-alive agents, one request
 * object per call and the body written once. (The global fetch clones each request and tees its
 * body, which costs more than the small call itself.) It answers with a WHATWG Response, which is
 * what Apollo's data source reads.
 */
export function subgraphClient(options: SubgraphClientOptions = {}): Fetch & { close(): void } {
  const timeoutMs = options.timeoutMs ?? 5000;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, maxFreeSockets: 16 };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent({ ...agentOptions, ...options.tls });
  const client = (url: string, init?: FetchInit, retried = false): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const body = typeof init?.body === "string" ? init.body : "";
      const headers = { ...init?.headers, "content-length": String(Buffer.byteLength(body)) };
      const send = secure ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: init?.method ?? "POST",
          headers,
          timeout: timeoutMs,
          // A retry goes on a connection of its own, not on another pooled one that may be as stale.
          ...(retried ? { agent: false, ...options.tls } : { agent: secure ? https : http }),
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            clearTimeout(deadline);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined)
                responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
            }
            resolve(
              new Response(Buffer.concat(chunks), {
                status: response.statusCode ?? 502,
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      // The whole call, not only idle time, is bounded: a registry dripping bytes is as slow as a silent one.
      const deadline = setTimeout(() => request.destroy(timeoutError(timeoutMs)), timeoutMs);
      request.on("timeout", () => request.destroy(timeoutError(timeoutMs)));
      // A caller's own, shorter bound (a health probe) ends the call the same way.
      init?.signal?.addEventListener("abort", () => request.destroy(timeoutError(timeoutMs)), { once: true });
      request.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        // A kept-alive socket the subgraph closed as idle just as this call picked it up. A read is
        // sent once more on a fresh connection; a mutation is not, since the subgraph may have
        // applied it before the connection broke.
        const stale = request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE");
        if (stale && !retried && isQueryBody(body)) resolve(client(url, init, true));
        else reject(error);
      });
      request.end(body);
    });
  return Object.assign(client, {
    close() {
      http.destroy();
      https.destroy();
    },
  });
}

function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms} ms`);
  error.name = "TimeoutError";
  return error;
}
