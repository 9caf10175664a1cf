import type { Db, Queryable } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inclusionProblem,
  proveConsistency,
  proveInclusion,
  recordLeafHash,
  rootOfLeaves,
  headConsistencyProblem,
  treeHeadProblem,
} from "../merkle";
import { generateSigningKey, openSigningKey } from "../key-file";
import { keyMap, treeVerifier } from "../signing";
import { sampleEntry } from "../testing";
import { migrateAudit } from "./schema";
import { createAuditStore, type AuditStore } from "./store";

const generated = generateSigningKey();
const key = openSigningKey(generated.privatePem);
const trusted = keyMap([generated.publicKey]);
let db: Db;
let store: AuditStore;

const append = async (from: number, count: number) =>
  store.append(Array.from({ length: count }, (_, i) => sampleEntry(from + i)));
const hashes = async () => {
  const list: string[] = [];
  for await (const record of store.records(0)) list.push(record.hash);
  return list;
};
const tamper = (fn: (tx: Queryable) => Promise<unknown>) =>
  db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    await fn(tx);
  });

beforeAll(async () => {
  db = await openTestDb();
  await migrateAudit(db);
  store = createAuditStore(db, { key, replica: "test", checkpointEvery: 1000 });
});

afterAll(async () => {
  await db?.close();
});

describe("the stored Merkle tree", () => {
  it("signs a tree head over every record at each checkpoint, and names it on the head row", async () => {
    await append(1, 7);
    await store.checkpoint();
    await append(8, 6);
    await store.checkpoint();
    // Nothing new: no new head.
    await store.checkpoint();
    const heads = await store.treeHeads();
    expect(heads.map((head) => head.treeSize)).toEqual([7, 13]);
    const leaves = (await hashes()).map((hash) => recordLeafHash(hash));
    expect(heads[1].rootHash).toBe((await rootOfLeaves(leaves)).toString("hex"));
    expect(heads[0].rootHash).toBe((await rootOfLeaves(leaves.slice(0, 7))).toString("hex"));
    for (const head of heads) expect(treeHeadProblem(head, treeVerifier(trusted))).toBeNull();
    expect(await store.headRowTreeHead()).toEqual(heads[1]);
    expect(await store.latestTreeHead()).toEqual(heads[1]);
  });

  it("proves consistency between its heads and the inclusion of each record", async () => {
    await append(14, 20);
    await store.checkpoint();
    const heads = await store.treeHeads();
    const leaves = (await hashes()).map((hash) => recordLeafHash(hash));
    for (let i = 1; i < heads.length; i += 1) {
      const proof = await proveConsistency(store.nodes, heads[i - 1].treeSize, heads[i].treeSize);
      expect(headConsistencyProblem(heads[i - 1], heads[i], proof)).toBeNull();
    }
    const last = heads[heads.length - 1];
    for (const seq of [1, 7, 13, 20, last.treeSize]) {
      const proof = await proveInclusion(store.nodes, seq - 1, last.treeSize);
      const root = Buffer.from(last.rootHash, "hex");
      expect(inclusionProblem(seq - 1, last.treeSize, leaves[seq - 1], proof, root)).toBeNull();
      expect(
        inclusionProblem(seq - 1, last.treeSize, leaves[seq % leaves.length], proof, root),
      ).not.toBeNull();
    }
  });

  it("refuses changes to its nodes and heads, and will not sign over a gap in the records", async () => {
    await expect(db.query("DELETE FROM audit.tree_heads")).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE audit.tree_nodes SET idx = idx + 1000")).rejects.toThrow(/append-only/);
    await append(34, 3);
    const size = (await store.head()).seq;
    await tamper((tx) => tx.query("DELETE FROM audit.records WHERE seq = $1", [size - 1]));
    await expect(store.checkpoint()).rejects.toThrow(/record \d+ is missing/);
    expect((await store.latestTreeHead())?.treeSize).toBeLessThan(size);
  });
});
