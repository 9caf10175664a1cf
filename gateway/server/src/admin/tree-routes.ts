import { Refusal } from "@onecert/subgraph-kit";
import type { Role } from "@onecert/access";
import {
  AUDIT_SCHEMA,
  proveConsistency,
  proveInclusion,
  recordLeafHash,
  type AuditTrail,
} from "@onecert/audit";
import type { AdminRoute } from "./types";

// The audit log's Merkle tree for those who check it from outside: signed tree heads, and the
// proofs that one head extends another and that a record is in a head (RFC 9162 §2.1). What they
// reveal is sizes and hashes, no record content; the audit office and the departments (who may
// each run a witness) may read them.

const CHECKERS: readonly Role[] = ["auditor", "department"];
const bad = (message: string) => new Refusal("BAD_REQUEST", message);
const hex = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString("hex"));

function size(query: URLSearchParams, name: string, required: boolean): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") {
    if (required) throw bad(`${name} is required: a tree size (a record sequence number)`);
    return undefined;
  }
  if (!/^\d{1,15}$/.test(raw)) throw bad(`${name} must be a whole number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function treeRoutes(trail: AuditTrail): AdminRoute[] {
  const store = trail.store;
  /** The largest signed size; a proof can only be asked up to it. */
  const signedSize = async () => (await store.latestTreeHead())?.treeSize ?? 0;
  const withinSigned = async (name: string, value: number) => {
    const latest = await signedSize();
    if (value > latest) throw bad(`${name} ${value} is past the largest signed tree head (${latest})`);
  };
  return [
    {
      method: "GET",
      pattern: "/audit/tree-head",
      roles: CHECKERS,
      async handle() {
        return { status: 200, body: { treeHead: await store.latestTreeHead() } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/tree-heads",
      roles: CHECKERS,
      async handle({ query }) {
        const after = size(query, "after", false) ?? 0;
        const heads = await store.treeHeads(after);
        return { status: 200, body: { treeHeads: heads.slice(0, 1000), more: heads.length > 1000 } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/consistency",
      roles: CHECKERS,
      async handle({ query }) {
        const from = size(query, "from", true)!;
        const to = size(query, "to", true)!;
        if (from > to) throw bad(`from (${from}) must not be past to (${to})`);
        await withinSigned("to", to);
        return { status: 200, body: { from, to, proof: hex(await proveConsistency(store.nodes, from, to)) } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/record-hashes",
      roles: CHECKERS,
      async handle({ query }) {
        const from = size(query, "from", true)!;
        const to = size(query, "to", true)!;
        if (from >= to || to - from > 10_000) throw bad("from must be below to, at most 10000 apart");
        await withinSigned("to", to);
        const rows = await store.db.query<{ seq: string; hash: string }>(
          `SELECT seq, hash FROM ${AUDIT_SCHEMA}.records WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
          [from, to],
        );
        if (rows.length !== to - from || rows.some((row, at) => Number(row.seq) !== from + at + 1))
          throw new Refusal(
            "NOT_FOUND",
            `records ${from + 1} to ${to} are not all in the database (archived?)`,
          );
        return { status: 200, body: { from, to, hashes: rows.map((row) => row.hash) } };
      },
    },
    {
      method: "GET",
      pattern: "/audit/inclusion",
      roles: CHECKERS,
      async handle({ query }) {
        const seq = size(query, "seq", true)!;
        const treeSize = size(query, "treeSize", false) ?? (await signedSize());
        if (seq < 1 || seq > treeSize) throw bad(`seq must be from 1 to the tree size ${treeSize}`);
        await withinSigned("treeSize", treeSize);
        const [row] = await store.db.query<{ hash: string }>(
          `SELECT hash FROM ${AUDIT_SCHEMA}.records WHERE seq = $1 LIMIT 1`,
          [seq],
        );
        if (!row) throw new Refusal("NOT_FOUND", `record ${seq} is not in the database (archived?)`);
        const proof = hex(await proveInclusion(store.nodes, seq - 1, treeSize));
        const leafHash = recordLeafHash(row.hash).toString("hex");
        return { status: 200, body: { seq, treeSize, recordHash: row.hash, leafHash, proof } };
      },
    },
  ];
}
