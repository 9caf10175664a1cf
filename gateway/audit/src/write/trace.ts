/** Facts about one request that only show while it runs. */
export interface RequestTrace {
  /** Subgraphs the gateway called. */
  subgraphs: Set<string>;
  /** Cache lookups: entity or response entries served from cache, and those fetched. */
  cacheHits: number;
  cacheMisses: number;
  /** Certificate types the request checked (the certificate checks add them), for the audit statistics. */
  certificates: Set<string>;
  /** "subgraph:assertion id" of each signed request a subgraph acknowledged serving. */
  hops: Set<string>;
  /** "subgraph Type.field" of the fields sent to subgraphs in representations. */
  sent: Set<string>;
  /** The trace id, when the request is traced. */
  traceId?: string;
}

/** A fresh trace for a new request. */
export const newTrace = (): RequestTrace => ({
  subgraphs: new Set(),
  cacheHits: 0,
  cacheMisses: 0,
  certificates: new Set(),
  hops: new Set(),
  sent: new Set(),
});
