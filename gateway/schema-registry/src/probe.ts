/** The state of one subgraph as last probed. */
export interface SubgraphStatus {
  name: string;
  url: string;
  status: "up" | "down";
  latencyMs: number;
  error?: string;
}

/** Probes a subgraph with `{ __typename }`, the one query every GraphQL server answers. */
export async function probeSubgraph(name: string, url: string, timeoutMs = 2000): Promise<SubgraphStatus> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { data?: { __typename?: string } };
    if (response.ok && body.data?.__typename) return { name, url, status: "up", latencyMs: latency() };
    return { name, url, status: "down", latencyMs: latency(), error: `HTTP ${response.status}` };
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
    return { name, url, status: "down", latencyMs: latency(), error: reason };
  }
}
