import { Refusal } from "@onecert/subgraph-kit";

/** The state of one subgraph as last probed. */
export interface SubgraphStatus {
  name: string;
  url: string;
  status: "up" | "down";
  latencyMs: number;
  error?: string;
}

/**
 * Posts one GraphQL body to the subgraph `name` at `url`. The gateway's implementation signs it
 * (subgraphs answer only the gateway's assertions); the default is an unsigned fetch, for
 * subgraphs outside the trust boundary such as a test server.
 */
export type SubgraphPost = (name: string, url: string, body: string, timeoutMs: number) => Promise<Response>;

export const unsignedPost: SubgraphPost = (_name, url, body, timeoutMs) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });

const failure = (error: unknown): string =>
  error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";

/** Probes a subgraph with `{ __typename }`, the one query every GraphQL server answers. */
export async function probeSubgraph(
  name: string,
  url: string,
  timeoutMs = 2000,
  post: SubgraphPost = unsignedPost,
): Promise<SubgraphStatus> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await post(name, url, JSON.stringify({ query: "{ __typename }" }), timeoutMs);
    const body = (await response.json().catch(() => ({}))) as { data?: { __typename?: string } };
    if (response.ok && body.data?.__typename) return { name, url, status: "up", latencyMs: latency() };
    return { name, url, status: "down", latencyMs: latency(), error: `HTTP ${response.status}` };
  } catch (error) {
    return { name, url, status: "down", latencyMs: latency(), error: failure(error) };
  }
}

/** The federation SDL a running subgraph serves (`_service { sdl }`); a refusal names why it is not there. */
export async function introspectSubgraph(
  name: string,
  url: string,
  post: SubgraphPost = unsignedPost,
  timeoutMs = 10_000,
): Promise<string> {
  let response: Response;
  try {
    response = await post(name, url, JSON.stringify({ query: "{ _service { sdl } }" }), timeoutMs);
  } catch (error) {
    throw new Refusal("SUBGRAPH_UNREACHABLE", `subgraph ${name} at ${url} is ${failure(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    data?: { _service?: { sdl?: unknown } };
    errors?: { message?: string; extensions?: { code?: string } }[];
  };
  const sdl = body.data?._service?.sdl;
  if (response.ok && typeof sdl === "string" && sdl.length > 0) return sdl;
  const reason = body.errors?.[0]?.extensions?.code ?? body.errors?.[0]?.message ?? `HTTP ${response.status}`;
  throw new Refusal(
    "SUBGRAPH_UNREACHABLE",
    `subgraph ${name} at ${url} did not serve { _service { sdl } }: ${reason}`,
  );
}
