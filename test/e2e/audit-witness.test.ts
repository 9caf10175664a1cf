import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import type { Db, Queryable } from "@onecert/subgraph-kit";
import { afterEach, describe, expect, it } from "vitest";
import {
  createAuditStore,
  exportLines,
  generateSigningKey,
  keyMap,
  migrateAudit,
  openSigningKey,
  openWitnessDir,
  proveConsistency,
  recordHash,
  verifyFiles,
  verifyStore,
  witnessRound,
  writeLinesFile,
  type AuditRecord,
  type AuditStore,
  type SignedTreeHead,
  type WitnessDir,
} from "@onecert/audit";
import { sampleEntry, scratchDir, testSuite } from "../support/audit";

/**
 * The tamper cases a database owner (a superuser who turns the append-only triggers off) can
 * make pass `audit verify` on the log alone: with a witness's tree heads each one fails, at the
 * first record its heads show changed. Each case builds its own log of 150 records, signed and
 * witnessed every 30, then tampers with it.
 */

const RECORDS = 150;
const key = generateSigningKey(testSuite());
const signing = openSigningKey(key.privatePem);
const trusted = keyMap([key.publicKey]);
const scratch = scratchDir("onecert-witness-");
const opened: Db[] = [];

interface Log {
  db: Db;
  store: AuditStore;
  witness: WitnessDir;
  records: AuditRecord[];
  heads: SignedTreeHead[];
}

const witnessOf = (store: AuditStore) => ({
  latestTreeHead: () => store.latestTreeHead(),
  consistency: async (from: number, to: number) => {
    const tree = await store.treeOf(to);
    return proveConsistency(tree.nodes, from, to, tree.suite);
  },
  recordHashes: async (from: number, to: number) =>
    (
      await store.db.query<{ hash: string }>(
        "SELECT hash FROM audit.records WHERE seq > $1 AND seq <= $2 ORDER BY seq",
        [from, to],
      )
    ).map((row) => row.hash),
});

async function buildLog(name: string): Promise<Log> {
  const db = await openTestDb();
  opened.push(db);
  await migrateAudit(db);
  const store = createAuditStore(db, { key: signing, replica: "test", checkpointEvery: 20 });
  const witness = openWitnessDir(join(scratch.dir, name));
  for (let n = 1; n <= RECORDS; n += 5) {
    await store.append(Array.from({ length: 5 }, (_, i) => sampleEntry(n + i)));
    if ((n + 4) % 30 === 0) {
      await store.checkpoint();
      await witnessRound(witnessOf(store), witness, trusted);
    }
  }
  const records: AuditRecord[] = [];
  for await (const record of store.records(0)) records.push(record);
  return { db, store, witness, records, heads: await store.treeHeads() };
}

/** As the database owner: the append-only triggers off for this transaction. */
const tamper = (db: Db, fn: (tx: Queryable) => Promise<unknown>) =>
  db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    await fn(tx);
  });

/**
 * Removes what was signed after record `cut` (checkpoints; tree heads after `size`) and sets the
 * head row to record `seq` with `hash`, and to the tree head of `size`.
 */
async function coverTracks(log: Log, tx: Queryable, cut: number, seq: number, hash: string, size: number) {
  await tx.query("DELETE FROM audit.checkpoints WHERE seq > $1", [cut]);
  await tx.query("DELETE FROM audit.tree_heads WHERE tree_size > $1", [size]);
  const [signed] = await tx.query<{ seq: string }>(
    "SELECT coalesce(max(seq), 0) AS seq FROM audit.checkpoints",
  );
  // Read before the transaction: an embedded database serves one transaction at a time.
  const head = log.heads.find((one) => one.treeSize === size)!;
  await tx.query(
    `UPDATE audit.chain SET seq = $1, hash = $2, checkpoint_seq = $3, tree_size = $4, tree_root = $5,
       tree_at = $6, tree_suite = $7, tree_key_id = $8, tree_signature = $9`,
    [
      seq,
      hash,
      signed.seq,
      head.treeSize,
      head.rootHash,
      head.timestamp,
      head.suite,
      head.keyId,
      head.signature,
    ],
  );
}

/** Records after 100 changed and chained again, with what was signed after 90 removed. */
async function rechainAfter100(log: Log, change: (record: AuditRecord) => AuditRecord) {
  let prev = log.records[99].hash;
  const forged = log.records.slice(100).map((record) => {
    const changed = { ...change(record), prevHash: prev };
    changed.hash = recordHash(changed);
    prev = changed.hash;
    return changed;
  });
  await tamper(log.db, async (tx) => {
    for (const r of forged)
      await tx.query(
        "UPDATE audit.records SET operator_id = $2, subjects = $3, prev_hash = $4, hash = $5 WHERE seq = $1",
        [r.seq, r.operatorId, r.subjects, r.prevHash, r.hash],
      );
    await tx.query("DELETE FROM audit.tree_nodes WHERE (idx + 1) * (1::bigint << level) > 90");
    await coverTracks(log, tx, 100, RECORDS, prev, 90);
  });
}

afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

describe("tampering a witness catches", () => {
  it("records after 100 deleted with their checkpoints and tree heads, the head row set back", async () => {
    const log = await buildLog("deleted");
    expect(log.witness.recordHashes().length).toBe(RECORDS * 32);
    await tamper(log.db, async (tx) => {
      await tx.query("DELETE FROM audit.records WHERE seq > 100");
      await coverTracks(log, tx, 100, 100, log.records[99].hash, 90);
    });
    // On its own, the log is a shorter log that verifies.
    expect(await verifyStore(log.store, { keys: trusted })).toMatchObject({ ok: true, lastSeq: 100 });
    const outcome = await verifyStore(log.store, { keys: trusted, witness: log.witness.heads() });
    expect(outcome.problem).toMatchObject({ kind: "deleted", seq: 101 });
    expect(outcome.problem!.message).toContain("the witness holds a tree head of 150 records");
    // And the witness's next round raises the alarm at once.
    await expect(witnessRound(witnessOf(log.store), log.witness, trusted)).rejects.toThrow(
      /rollback: the log's tree head is of size 90, but the witness holds one of size 150/,
    );
  });

  it("records after 100 rewritten and rechained, with their checkpoints and tree heads removed", async () => {
    const log = await buildLog("rechained");
    await rechainAfter100(log, (record) => ({ ...record, operatorId: "nobody" }));
    expect(await verifyStore(log.store, { keys: trusted })).toMatchObject({ ok: true, lastSeq: RECORDS });
    // With its heads alone: the witness's head of 90 records matches, that of 120 does not.
    const byHeads = await verifyStore(log.store, { keys: trusted, witness: log.witness.heads() });
    expect(byHeads.problem).toMatchObject({ kind: "witness", seq: 91 });
    expect(byHeads.problem!.message).toContain("records 91 to 120 were changed");
    // With the record hashes it mirrored: the exact record.
    const exact = await verifyStore(log.store, {
      keys: trusted,
      witness: log.witness.heads(),
      witnessRecordHashes: log.witness.recordHashes(),
    });
    expect(exact.problem).toMatchObject({ kind: "witness", seq: 101 });
    expect(exact.problem!.message).toContain("record 101 is not the one the witness saw");
  });

  it("a log forked with the signing key itself: the witness sees another root for the same size", async () => {
    const log = await buildLog("forked");
    await rechainAfter100(log, (record) => ({ ...record, subjects: ["440524188001010014"] }));
    // Whoever holds the key signs the forged tree anew: the log alone is consistent again.
    await log.store.checkpoint();
    expect((await log.store.latestTreeHead())?.treeSize).toBe(RECORDS);
    expect(await verifyStore(log.store, { keys: trusted })).toMatchObject({ ok: true });
    await expect(witnessRound(witnessOf(log.store), log.witness, trusted)).rejects.toThrow(
      /fork: the log's tree head of size 150 has root/,
    );
    const witnessed = { witness: log.witness.heads(), witnessRecordHashes: log.witness.recordHashes() };
    expect((await verifyStore(log.store, { keys: trusted, ...witnessed })).problem).toMatchObject({
      kind: "witness",
      seq: 101,
    });
  });

  it("the log alone sees checkpoints removed under a head row that still names them", async () => {
    const log = await buildLog("checkpoints");
    await tamper(log.db, (tx) => tx.query("DELETE FROM audit.checkpoints WHERE seq > 100"));
    const outcome = await verifyStore(log.store, { keys: trusted });
    expect(outcome.problem).toMatchObject({ kind: "checkpoint" });
    expect(outcome.problem!.message).toContain("checkpoints were removed");
  });

  it("a witness refuses record hashes that do not give the signed root", async () => {
    const log = await buildLog("mirror");
    const lying = {
      ...witnessOf(log.store),
      recordHashes: async (from: number, to: number) =>
        (await witnessOf(log.store).recordHashes(from, to)).map((hash, at) =>
          at === 7 ? "0".repeat(64) : hash,
        ),
    };
    const fresh = openWitnessDir(join(scratch.dir, "mirror-fresh"));
    await expect(witnessRound(lying, fresh, trusted)).rejects.toThrow(
      /do not give the root of its signed tree head/,
    );
    expect(fresh.heads()).toEqual([]);
    expect(fresh.recordHashes().length).toBe(0);
  });

  it("the signed tail deleted at once, before any later checkpoint", async () => {
    const log = await buildLog("tail");
    await tamper(log.db, async (tx) => {
      await tx.query("DELETE FROM audit.records WHERE seq > 140");
      await coverTracks(log, tx, 140, 140, log.records[139].hash, 120);
    });
    expect(await verifyStore(log.store, { keys: trusted })).toMatchObject({ ok: true, lastSeq: 140 });
    expect(
      (await verifyStore(log.store, { keys: trusted, witness: log.witness.heads() })).problem,
    ).toMatchObject({ kind: "deleted", seq: 141 });
  });

  it("an export cut at 100 with a forged end line", async () => {
    const log = await buildLog("export");
    const file = join(scratch.dir, "export.ndjson");
    await writeLinesFile(file, exportLines(log.store));
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const kept = lines.filter((line) => {
      const parsed = JSON.parse(line) as { type: string; seq?: number; treeSize?: number };
      if (parsed.type === "record" || parsed.type === "checkpoint") return parsed.seq! <= 100;
      if (parsed.type === "tree-head") return parsed.treeSize! <= 90;
      return parsed.type === "header";
    });
    const head90 = JSON.parse(
      lines.find((line) => line.includes('"tree-head"') && line.includes('"treeSize":90'))!,
    ) as {
      type?: string;
    };
    delete head90.type;
    kept.push(
      JSON.stringify({
        type: "end",
        records: 100,
        lastSeq: 100,
        lastHash: log.records[99].hash,
        treeHead: head90,
      }),
    );
    const cut = join(scratch.dir, "cut.ndjson");
    writeFileSync(cut, `${kept.join("\n")}\n`);
    const alone = await verifyFiles([cut], { keys: trusted });
    expect(alone).toMatchObject({ ok: true, lastSeq: 100 });
    expect(alone.warnings.join(" ")).toContain("records 91 to 100 are not covered by a signed tree head");
    expect((await verifyFiles([cut], { keys: trusted, witness: log.witness.heads() })).problem).toMatchObject(
      {
        kind: "deleted",
        seq: 101,
      },
    );
    // An end line naming a signed head of more records than the file holds is refused.
    const head150 = JSON.parse(
      lines.find((line) => line.includes('"tree-head"') && line.includes('"treeSize":150'))!,
    ) as {
      type?: string;
    };
    delete head150.type;
    const overclaiming = [
      ...kept.slice(0, -1),
      JSON.stringify({ ...JSON.parse(kept.at(-1)!), treeHead: head150 }),
    ];
    writeFileSync(cut, `${overclaiming.join("\n")}\n`);
    expect((await verifyFiles([cut], { keys: trusted })).problem).toMatchObject({ kind: "head", seq: 100 });
    // The whole export verifies against the witness.
    expect(await verifyFiles([file], { keys: trusted, witness: log.witness.heads() })).toMatchObject({
      ok: true,
      lastSeq: RECORDS,
    });
  });
});
