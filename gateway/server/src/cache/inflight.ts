/** What the subgraph data source passes its fetcher (Apollo's FetchInit). */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export type Fetch = (url: string, init?: FetchInit) => Promise<Response>;

interface Buffered {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
}

interface InFlight {
  followers: number;
  done: Promise<{ response?: Response; buffered?: Buffered }>;
}

/** Headers that differ between identical fetches of different requests (default ["x-request-id"]). */
const PER_REQUEST = ["x-request-id"];

/** Whether a subgraph request body is a query (a read), not a mutation. */
export function isQueryBody(body: string): boolean {
  return body.startsWith('{"query":"query') || body.startsWith('{"query":"{');
}

/** The identity of a fetch on the wire: URL, body and every header but the per-request ones; null for non-queries. */
export function inFlightKey(url: string, init: FetchInit | undefined, ignore = PER_REQUEST): string | null {
  const body = typeof init?.body === "string" ? init.body : null;
  // Only queries: two identical mutations are two changes.
  if (!body || !isQueryBody(body)) return null;
  const headers = Object.entries(init?.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !ignore.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${init?.method ?? "POST"} ${url}\n${JSON.stringify(headers)}\n${body}`;
}

/**
 * Wraps a fetcher so that identical subgraph queries in flight at the same moment are sent once.
 * The first caller gets the response itself; when others joined, the body is read once and each
 * of them gets a copy, so no two requests ever share (and mutate) one parsed result.
 */
export function dedupingFetcher(fetcher: Fetch): Fetch & { readonly pending: number } {
  const inFlight = new Map<string, InFlight>();
  const deduping = (async (url: string, init?: FetchInit): Promise<Response> => {
    const key = inFlightKey(url, init);
    if (key === null) return fetcher(url, init);
    const joined = inFlight.get(key);
    if (joined) {
      joined.followers += 1;
      const { buffered } = await joined.done;
      return copy(buffered!);
    }
    const entry: InFlight = {
      followers: 0,
      done: fetcher(url, init).then(
        async (response) => {
          // Settled: later identical fetches start afresh (and may see newer data).
          inFlight.delete(key);
          if (entry.followers === 0) return { response };
          const text = await response.text();
          return {
            buffered: {
              status: response.status,
              statusText: response.statusText,
              headers: [...response.headers],
              text,
            },
          };
        },
        (error: unknown) => {
          inFlight.delete(key);
          throw error;
        },
      ),
    };
    inFlight.set(key, entry);
    const { response, buffered } = await entry.done;
    return response ?? copy(buffered!);
  }) as Fetch & { pending: number };
  Object.defineProperty(deduping, "pending", { get: () => inFlight.size });
  return deduping;
}

function copy(buffered: Buffered): Response {
  return new Response(buffered.text, {
    status: buffered.status,
    statusText: buffered.statusText,
    headers: buffered.headers,
  });
}
