import type { Db, Queryable } from "@onecert/subgraph-kit";
import { nationalSuite, standardSuite } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, openSigningKey } from "./key-file";
import { keyMap, type SigningKey } from "./signing";
import { migrateAudit } from "./store/schema";
import { createAuditStore, type AuditStore } from "./store/store";
import { sampleEntry } from "./testing";
import { verifyStore, type VerifyOutcome } from "./verify/sources";

// Tampering with a log that switched suite (records 1-20 standard, 21-40 national) is caught on
// either side of the switch, and so is relabelling an artefact's suite: verification takes the
// suite from the artefact, so a changed name changes what is checked, and the check fails.

const keyOf = (suite: typeof standardSuite): SigningKey =>
  openSigningKey(generateSigningKey(suite).privatePem);
const standardKey = keyOf(standardSuite);
const nationalKey = keyOf(nationalSuite);
const keys = keyMap([standardKey.publicKey, nationalKey.publicKey]);
let db: Db;
let store: AuditStore;

/** Runs `fn` with the append-only triggers off, as a database owner could, and undoes it after the check. */
async function tampered(fn: (tx: Queryable) => Promise<unknown>): Promise<VerifyOutcome> {
  const marker = new Error("undo");
  let outcome: VerifyOutcome | undefined;
  await db
    .transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await fn(tx);
      outcome = await verifyStore(createAuditStore(tx as Db, { replica: "test" }), { keys });
      throw marker;
    })
    .catch((error: unknown) => {
      if (error !== marker) throw error;
    });
  return outcome!;
}

beforeAll(async () => {
  db = await openTestDb();
  await migrateAudit(db);
  for (const [key, from] of [
    [standardKey, 1],
    [nationalKey, 21],
  ] as const) {
    const writer = createAuditStore(db, { key, replica: "test", checkpointEvery: 10 });
    for (let n = from; n < from + 20; n += 4)
      await writer.append(Array.from({ length: 4 }, (_, i) => sampleEntry(n + i)));
    await writer.checkpoint();
  }
  store = createAuditStore(db, { replica: "test" });
});

afterAll(async () => {
  await db?.close();
});

const sql = (statement: string) => (tx: Queryable) => tx.query(statement);

describe("tampering with a mixed-suite log", () => {
  it("is absent from the untouched log", async () => {
    expect(await verifyStore(store, { keys })).toMatchObject({ ok: true, records: 40, unsigned: 0 });
  });

  it("is caught when a standard record or a national record is altered", async () => {
    for (const seq of [7, 33]) {
      const outcome = await tampered(
        sql(`UPDATE audit.records SET operator_id = 'clerk-9' WHERE seq = ${seq}`),
      );
      expect(outcome.problem, `record ${seq}`).toMatchObject({ kind: "altered", seq });
    }
  });

  it("is caught when a record's suite is relabelled, to the other suite or to one nobody knows", async () => {
    // Relabelled standard, the record is hashed with sha256 and no longer gives its (SM3) hash.
    const outcome = await tampered(sql("UPDATE audit.records SET suite = 'standard' WHERE seq = 25"));
    expect(outcome.problem).toMatchObject({ kind: "altered", seq: 25 });
    const unknown = await tampered(sql("UPDATE audit.records SET suite = 'sha1' WHERE seq = 12"));
    expect(unknown.problem).toMatchObject({ kind: "altered", seq: 12 });
  });

  it("is caught when a checkpoint is relabelled into the other suite or algorithm", async () => {
    // Checkpoints fall at 12 and 20 (standard), 32 and 40 (national).
    const relabelled = await tampered(sql("UPDATE audit.checkpoints SET suite = 'standard' WHERE seq = 32"));
    expect(relabelled.problem).toMatchObject({ kind: "signature", seq: 32 });
    expect(relabelled.problem!.message).toMatch(/SM2, not EdDSA/);
    const downgraded = await tampered(
      sql("UPDATE audit.checkpoints SET suite = NULL, alg = NULL WHERE seq = 12"),
    );
    expect(downgraded.problem).toMatchObject({ kind: "signature", seq: 12 });
  });

  it("is caught when a tree head is relabelled, or a national head is signed away by the other key", async () => {
    const relabelled = await tampered(
      sql("UPDATE audit.tree_heads SET suite = 'sha256' WHERE tree_size = 40"),
    );
    expect(relabelled.problem).toMatchObject({ kind: "signature" });
    const swapped = await tampered(
      sql(`UPDATE audit.tree_heads SET key_id = '${standardKey.keyId}' WHERE tree_size = 40`),
    );
    expect(swapped.problem).toMatchObject({ kind: "signature" });
  });

  it("is caught in the national tree when national records are rewritten with their checkpoints", async () => {
    const outcome = await tampered(async (tx) => {
      await tx.query("DELETE FROM audit.records WHERE seq > 36");
      await tx.query("DELETE FROM audit.checkpoints WHERE seq > 36");
      await tx.query(
        "UPDATE audit.chain SET seq = 36, hash = (SELECT hash FROM audit.records WHERE seq = 36)",
      );
    });
    // The national tree head of 40 records the log still holds names the cut.
    expect(outcome.problem).toMatchObject({ kind: "deleted", seq: 37 });
  });
});
