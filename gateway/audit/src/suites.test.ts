import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@onecert/subgraph-kit";
import { nationalSuite, standardSuite, sm3 } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, openSigningKey } from "./key-file";
import {
  inclusionProblem,
  proveConsistency,
  proveInclusion,
  recordLeafHash,
  treeHeadProblem,
} from "./merkle";
import { exportLines, writeLinesFile } from "./read/export";
import { canonicalRecord, recordHash, type AuditRecord } from "./record";
import { checkpointProblem, keyMap, treeVerifier } from "./signing";
import { migrateAudit } from "./store/schema";
import { createAuditStore, type AuditStore } from "./store/store";
import { sampleEntry } from "./testing";
import { verifyFiles, verifyStore } from "./verify/sources";
import { openWitnessDir, witnessRound, type WitnessLog } from "./witness";

// One log that switched suite mid-way: 25 records hashed, treed and signed in the standard suite,
// then 20 in the national one, as a deployment that set CRYPTO_SUITE=national on a running log.

const standardKey = openSigningKey(generateSigningKey(standardSuite).privatePem);
const nationalKey = openSigningKey(generateSigningKey(nationalSuite).privatePem);
const trusted = keyMap([standardKey.publicKey, nationalKey.publicKey]);
const scratch = mkdtempSync(join(tmpdir(), "onecert-suites-"));
let db: Db;
let store: AuditStore;
let records: AuditRecord[];
const witness = openWitnessDir(join(scratch, "witness"));

const logOf = (of: AuditStore): WitnessLog => ({
  latestTreeHead: () => of.latestTreeHead(),
  consistency: async (from, to) => {
    const tree = await of.treeOf(to);
    return proveConsistency(tree.nodes, from, to, tree.suite);
  },
  recordHashes: async (from, to) =>
    (
      await of.db.query<{ hash: string }>(
        "SELECT hash FROM audit.records WHERE seq > $1 AND seq <= $2 ORDER BY seq",
        [from, to],
      )
    ).map((row) => row.hash),
});

async function appendIn(key: typeof standardKey, from: number, count: number): Promise<AuditStore> {
  const writer = createAuditStore(db, { key, replica: "test", checkpointEvery: 10 });
  for (let n = from; n < from + count; n += 5)
    await writer.append(Array.from({ length: Math.min(5, from + count - n) }, (_, i) => sampleEntry(n + i)));
  await writer.checkpoint();
  return writer;
}

beforeAll(async () => {
  db = await openTestDb();
  await migrateAudit(db);
  const before = await appendIn(standardKey, 1, 25);
  expect((await witnessRound(logOf(before), witness, trusted)).status).toBe("first");
  store = await appendIn(nationalKey, 26, 20);
  records = [];
  for await (const record of store.records(0)) records.push(record);
});

afterAll(async () => {
  await db?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("a log in the national suite", () => {
  it("hashes its records with SM3 and names the suite in each", () => {
    const record = records[30];
    expect(record).toMatchObject({ v: 3, suite: "national", seq: 31 });
    expect(record.hash).toBe(sm3(canonicalRecord(record)).toString("hex"));
    expect(record.hash).not.toBe(createHash("sha256").update(canonicalRecord(record)).digest("hex"));
  });

  it("signs its checkpoints and tree heads with SM2 over SM3 trees, each naming suite and algorithm", async () => {
    const checkpoints = await store.checkpoints();
    const last = checkpoints.at(-1)!;
    expect(last).toMatchObject({ seq: 45, suite: "national", alg: "SM2", keyId: nationalKey.keyId });
    expect(nationalKey.keyId).toMatch(/^sm2:[0-9a-f]{16}$/);
    expect(checkpointProblem(last, trusted)).toBeNull();
    const head = (await store.latestTreeHead())!;
    expect(head).toMatchObject({ treeSize: 45, suite: "sm3", alg: "SM2", keyId: nationalKey.keyId });
    expect(treeHeadProblem(head, treeVerifier(trusted))).toBeNull();
  });

  it("proves a record's inclusion in the SM3 tree, a proof that does not hold as sha256", async () => {
    const tree = await store.treeOf();
    expect(tree.suite.name).toBe("sm3");
    const proof = await proveInclusion(tree.nodes, 29, 45, tree.suite);
    const root = Buffer.from((await store.latestTreeHead())!.rootHash, "hex");
    const leaf = recordLeafHash(records[29].hash, tree.suite);
    expect(inclusionProblem(29, 45, leaf, proof, root, tree.suite)).toBeNull();
    expect(inclusionProblem(29, 45, recordLeafHash(records[29].hash), proof, root)).not.toBeNull();
  });
});

describe("a log that switched suite", () => {
  it("holds standard records, checkpoints and sha256 heads before the switch and national after", async () => {
    expect(records.slice(0, 25).every((record) => record.suite === "standard")).toBe(true);
    expect(records.slice(25).every((record) => record.suite === "national")).toBe(true);
    expect(records[0].hash).toBe(createHash("sha256").update(canonicalRecord(records[0])).digest("hex"));
    expect((await store.checkpoints()).map(({ seq, suite, alg }) => [seq, suite, alg])).toEqual([
      [10, "standard", "EdDSA"],
      [20, "standard", "EdDSA"],
      [25, "standard", "EdDSA"],
      [35, "national", "SM2"],
      [45, "national", "SM2"],
    ]);
    expect((await store.treeHeads()).map(({ treeSize, suite }) => [treeSize, suite])).toEqual([
      [25, "sha256"],
      [45, "sm3"],
    ]);
  });

  it("verifies end to end, from the database and from an export, each artefact in its own suite", async () => {
    const fromStore = await verifyStore(store, { keys: trusted, witness: witness.heads() });
    expect(fromStore.problem).toBeUndefined();
    expect(fromStore).toMatchObject({ ok: true, records: 45, checkpoints: 5, unsigned: 0 });
    const file = join(scratch, "export.ndjson");
    await writeLinesFile(file, exportLines(store));
    const fromFile = await verifyFiles([file], { keys: trusted });
    expect(fromFile.problem).toBeUndefined();
    expect(fromFile).toMatchObject({ ok: true, records: 45, checkpoints: 5 });
  });

  it("lets a witness follow the switch, the mirrored record hashes standing in for a consistency proof", async () => {
    const round = await witnessRound(logOf(store), witness, trusted);
    expect(round).toMatchObject({ status: "new", previous: { suite: "sha256" }, head: { suite: "sm3" } });
    const verified = await verifyStore(store, {
      keys: trusted,
      witness: witness.heads(),
      witnessRecordHashes: witness.recordHashes(),
    });
    expect(verified).toMatchObject({ ok: true, records: 45 });
  });

  it("verifies a record made before suites (version 2, no suite field) as sha256", () => {
    const { suite: _suite, hash: _hash, ...rest } = records[0];
    const legacy = { ...rest, v: 2 };
    expect(recordHash(legacy)).toBe(createHash("sha256").update(canonicalRecord(legacy)).digest("hex"));
    expect(canonicalRecord(legacy)).not.toContain('"suite"');
  });

  it("needs both keys: without the standard one its checkpoints are not trusted", async () => {
    const outcome = await verifyStore(store, { keys: keyMap([nationalKey.publicKey]) });
    expect(outcome).toMatchObject({ ok: false, problem: { kind: "signature" } });
  });
});
