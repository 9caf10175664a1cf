import autocannon from "autocannon";

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface LoadOptions {
  /** Concurrent connections. Default 16. */
  connections?: number;
  /** Seconds of load. Default env BENCH_SECONDS or 5. */
  seconds?: number;
  /** Requests are rotated through these bodies (e.g. fresh subjects). */
  bodies: string[];
  headers?: Record<string, string>;
}

/** Drives `url` with POSTs for a fixed time and reports throughput and latency percentiles. */
export async function runLoad(name: string, url: string, options: LoadOptions): Promise<LoadResult> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS || 5);
  let next = 0;
  const result = await autocannon({
    url,
    method: "POST",
    connections: options.connections ?? 16,
    duration: seconds,
    headers: { "content-type": "application/json", ...options.headers },
    requests: [
      {
        setupRequest: (request) => {
          const body = options.bodies[next++ % options.bodies.length];
          return { ...request, body };
        },
      },
    ],
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Formats results as a Markdown table, with each row's throughput relative to `baseline`. */
export function table(results: LoadResult[], baseline: LoadResult): string {
  const lines = [
    "| target | req/s | p50 ms | p99 ms | errors | throughput vs " + baseline.name + " |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const ratio = r.requestsPerSecond / baseline.requestsPerSecond;
    lines.push(
      `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.errors} | ${ratio.toFixed(2)}x |`,
    );
  }
  return lines.join("\n");
}
