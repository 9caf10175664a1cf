import { Refusal } from "@onecert/subgraph-kit";
import type { Role } from "@onecert/access";
import {
  AUDIT_SCHEMA,
  proveConsistency,
  proveInclusion,
  recordLeafHash,
  type AuditTrail,
} from "@onecert/audit";
import { z } from "zod";
import { consistencyProof, inclusionProof, recordHashes, treeHead } from "./audit-models";
import { numeral, query } from "./fields";
import { route, type AdminRoute } from "./types";

// The audit log's Merkle tree for those who check it from outside: signed tree heads, and the
// proofs that one head extends another and that a record is in a head (RFC 9162 §2.1). What they
// reveal is sizes and hashes, no record content; the audit office and the departments (who may
// each run a witness) may read them.

const CHECKERS: readonly Role[] = ["auditor", "department"];
const bad = (message: string) => new Refusal("BAD_REQUEST", message);
const hex = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString("hex"));

/** A tree size (a record sequence number) in the query string. */
const size = () => numeral(0, Number.MAX_SAFE_INTEGER, "must be a whole number");
const tag = "audit tree";

export function treeRoutes(trail: AuditTrail): AdminRoute[] {
  const store = trail.store;
  /** The largest signed size; a proof can only be asked up to it. */
  const signedSize = async () => (await store.latestTreeHead())?.treeSize ?? 0;
  const withinSigned = async (name: string, value: number) => {
    const latest = await signedSize();
    if (value > latest) throw bad(`${name} ${value} is past the largest signed tree head (${latest})`);
  };
  return [
    route({
      method: "GET",
      pattern: "/audit/tree-head",
      roles: CHECKERS,
      tag,
      summary: "The latest signed tree head (null before the first checkpoint)",
      schema: { response: z.object({ treeHead: treeHead.nullable() }) },
      async handle() {
        return { status: 200, body: { treeHead: await store.latestTreeHead() } };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/tree-heads",
      roles: CHECKERS,
      tag,
      summary: "Signed tree heads past a size, oldest first, at most 1000",
      schema: {
        query: query({ after: size().optional() }),
        response: z.object({ treeHeads: z.array(treeHead), more: z.boolean() }),
      },
      async handle({ query: given }) {
        const after = given.after ?? 0;
        const heads = await store.treeHeads(after);
        return { status: 200, body: { treeHeads: heads.slice(0, 1000), more: heads.length > 1000 } };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/consistency",
      roles: CHECKERS,
      tag,
      summary: "Proof that the tree of size `to` extends the tree of size `from` (RFC 9162)",
      schema: { query: query({ from: size(), to: size() }), response: consistencyProof },
      async handle({ query: { from, to } }) {
        if (from > to) throw bad(`from (${from}) must not be past to (${to})`);
        await withinSigned("to", to);
        const tree = await store.treeOf(to);
        const proof = hex(await proveConsistency(tree.nodes, from, to, tree.suite));
        return { status: 200, body: { from, to, proof } };
      },
    }),
    route({
      method: "GET",
      pattern: "/audit/record-hashes",
      roles: CHECKERS,
      tag,
      summary: "The record hashes of seq from+1 to `to` (at most 10000), for a witness's mirror",
      schema: { query: query({ from: size(), to: size() }), response: recordHashes },
      async handle({ query: { from, to } }) {
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
    }),
    route({
      method: "GET",
      pattern: "/audit/inclusion",
      roles: CHECKERS,
      tag,
      summary: "Proof that record `seq` is in the tree of `treeSize` (default the latest signed)",
      schema: { query: query({ seq: size(), treeSize: size().optional() }), response: inclusionProof },
      async handle({ query: given }) {
        const seq = given.seq;
        const treeSize = given.treeSize ?? (await signedSize());
        if (seq < 1 || seq > treeSize) throw bad(`seq must be from 1 to the tree size ${treeSize}`);
        await withinSigned("treeSize", treeSize);
        const [row] = await store.db.query<{ hash: string }>(
          `SELECT hash FROM ${AUDIT_SCHEMA}.records WHERE seq = $1 LIMIT 1`,
          [seq],
        );
        if (!row) throw new Refusal("NOT_FOUND", `record ${seq} is not in the database (archived?)`);
        const tree = await store.treeOf(treeSize);
        const proof = hex(await proveInclusion(tree.nodes, seq - 1, treeSize, tree.suite));
        const leafHash = recordLeafHash(row.hash, tree.suite).toString("hex");
        return { status: 200, body: { seq, treeSize, recordHash: row.hash, leafHash, proof } };
      },
    }),
  ];
}
