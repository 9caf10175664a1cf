import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { openDb, type Db, type Queryable } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAuditStore,
  exportLines,
  generateSigningKey,
  migrateAudit,
  recordHash,
  verifyFiles,
  verifyStore,
  writeLinesFile,
  keyMap,
  openSigningKey,
  type AuditRecord,
  type AuditStore,
  type TrustedKeys,
  type VerifyOutcome,
} from "@onecert/audit";
import { sampleEntry, scratchDir, testSuite } from "../support/audit";

/**
 * Tamper evidence: each way of changing the log (update, delete, insert, reorder, rewrite and
 * rehash), in the database and in an export file, makes verification fail at that record, and
 * the untouched log verifies. Every change is undone afterwards, so each case starts clean.
 */

const RECORDS = 120;
const EVERY = 20;
const scratch = scratchDir();
const key = generateSigningKey(testSuite());
const signingKey = openSigningKey(key.privatePem);
const keysFile = join(scratch.dir, "keys.json");
let db: Db & { url?: string };
let store: AuditStore;
let original: AuditRecord[];

/** Runs statements with the append-only triggers off, as a database owner bent on tampering could. */
const tamper = (fn: (tx: Queryable) => Promise<unknown>) =>
  db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    await fn(tx);
  });

const at = (seq: number) => original[seq - 1];
const expectProblem = (outcome: VerifyOutcome, kind: string, seq: number, requestId?: string) => {
  expect(outcome.ok).toBe(false);
  expect(outcome.problem).toMatchObject({ kind, seq, ...(requestId ? { requestId } : {}) });
};
const expectClean = async () => {
  const outcome = await verifyStore(store);
  expect(outcome.problem).toBeUndefined();
  expect(outcome).toMatchObject({ ok: true, records: RECORDS, lastSeq: RECORDS });
};

beforeAll(async () => {
  db = process.env.DATABASE_URL ? await openTestDb() : openDb({ dataDir: join(scratch.dir, "pglite") });
  await migrateAudit(db);
  store = createAuditStore(db, { key: signingKey, replica: "test", checkpointEvery: EVERY });
  // Batches of 1 to 7 records, as group commit makes them.
  for (let n = 1; n <= RECORDS;) {
    const size = Math.min(1 + (n % 7), RECORDS - n + 1);
    await store.append(Array.from({ length: size }, (_, i) => sampleEntry(n + i)));
    n += size;
  }
  original = [];
  for await (const record of store.records(0)) original.push(record);
  writeFileSync(keysFile, JSON.stringify({ keys: [{ keyId: key.keyId, publicKey: key.publicKey }] }));
});

afterAll(async () => {
  await db?.close();
  scratch.cleanup();
});

describe("the database log", () => {
  it("verifies untouched, and refuses changes through its triggers", async () => {
    await expectClean();
    // A checkpoint is signed by the batch that takes the chain EVERY records past the last one.
    const signed = (await store.checkpoints()).map((checkpoint) => checkpoint.seq);
    expect(signed.length).toBeGreaterThanOrEqual(Math.floor(RECORDS / (EVERY + 6)));
    for (const [index, seq] of signed.entries()) {
      expect(seq - (signed[index - 1] ?? 0)).toBeGreaterThanOrEqual(EVERY);
      expect(seq - (signed[index - 1] ?? 0)).toBeLessThan(EVERY + 7);
    }
    await expect(db.query("UPDATE audit.records SET outcome = 'ok' WHERE seq = 3")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query("DELETE FROM audit.records WHERE seq = 3")).rejects.toThrow(/append-only/);
  });

  it.each([1, 20, 57, RECORDS])("an updated record %i fails at that record", async (seq) => {
    await tamper((tx) =>
      tx.query("UPDATE audit.records SET subjects = ARRAY['440524188001010014'] WHERE seq = $1", [seq]),
    );
    expectProblem(await verifyStore(store), "altered", seq, at(seq).requestId);
    await tamper((tx) =>
      tx.query("UPDATE audit.records SET subjects = $2 WHERE seq = $1", [seq, at(seq).subjects]),
    );
    await expectClean();
  });

  it.each([1, 20, 57, RECORDS])("a deleted record %i fails at that record", async (seq) => {
    const [row] = await db.query<Record<string, unknown>>("SELECT * FROM audit.records WHERE seq = $1", [
      seq,
    ]);
    await tamper((tx) => tx.query("DELETE FROM audit.records WHERE seq = $1", [seq]));
    expectProblem(await verifyStore(store), "deleted", seq);
    await tamper((tx) =>
      tx.query(
        `INSERT INTO audit.records SELECT * FROM jsonb_populate_record(NULL::audit.records, $1::jsonb)`,
        [JSON.stringify(row)],
      ),
    );
    await expectClean();
  });

  it.each([1, 20, 57, RECORDS])(
    "a record inserted at %i, forged to chain, fails at that record",
    async (seq) => {
      const genuine = at(seq);
      const forged = { ...genuine, id: "forged", requestId: "forged", subjects: ["440524188001010014"] };
      forged.loggedAt = new Date(new Date(genuine.loggedAt).getTime() + 1).toISOString();
      forged.hash = recordHash(forged);
      const row = Object.fromEntries(
        Object.entries(forged).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
      );
      await tamper((tx) =>
        tx.query(
          `INSERT INTO audit.records SELECT * FROM jsonb_populate_record(NULL::audit.records, $1::jsonb)`,
          [JSON.stringify(row)],
        ),
      );
      expectProblem(await verifyStore(store), "inserted", seq, "forged");
      await tamper((tx) => tx.query("DELETE FROM audit.records WHERE id = 'forged'"));
      await expectClean();
    },
  );

  it.each([1, 20, 57, RECORDS - 1])(
    "records %i and the next swapped fail at the first of them",
    async (seq) => {
      const swap = (tx: Queryable) =>
        tx
          .query("UPDATE audit.records SET seq = -1 WHERE seq = $1", [seq])
          .then(() => tx.query("UPDATE audit.records SET seq = $1 WHERE seq = $2", [seq, seq + 1]))
          .then(() => tx.query("UPDATE audit.records SET seq = $1 WHERE seq = -1", [seq + 1]));
      await tamper(swap);
      expectProblem(await verifyStore(store), "reordered", seq);
      await tamper(swap);
      await expectClean();
    },
  );

  it("a record altered with the chain rehashed after it fails at its checkpoint", async () => {
    const from = 57;
    let prev = at(from).prevHash;
    const rewritten = original.slice(from - 1).map((record, index) => {
      const changed = {
        ...record,
        prevHash: prev,
        subjects: index === 0 ? ["440524188001010014"] : record.subjects,
      };
      changed.hash = recordHash(changed);
      prev = changed.hash;
      return changed;
    });
    const write = (records: AuditRecord[]) =>
      tamper(async (tx) => {
        for (const r of records) {
          await tx.query("UPDATE audit.records SET subjects = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [
            r.seq,
            r.subjects,
            r.prevHash,
            r.hash,
          ]);
        }
        await tx.query("UPDATE audit.chain SET hash = $1", [records[records.length - 1].hash]);
      });
    const signed = (await store.checkpoints()).map((checkpoint) => checkpoint.seq);
    const before = signed.filter((seq) => seq < from).at(-1) ?? 0;
    const covering = signed.find((seq) => seq >= from)!;
    await write(rewritten);
    try {
      const outcome = await verifyStore(store);
      expectProblem(outcome, "checkpoint", before + 1);
      expect(outcome.problem!.message).toContain(`records ${before + 1} to ${covering}`);
    } finally {
      await write(original.slice(from - 1));
    }
    await expectClean();
  });
});

describe("an export file", () => {
  let lines: string[];
  const file = join(scratch.dir, "export.ndjson");
  const recordLine = (seq: number) =>
    lines.findIndex((line) => line.startsWith('{"type":"record"') && JSON.parse(line).seq === seq);
  const verifyLines = async (changed: string[], keys?: TrustedKeys) => {
    const path = join(scratch.dir, "tampered.ndjson");
    writeFileSync(path, changed.join("\n") + "\n");
    return verifyFiles([path], { keys });
  };

  beforeAll(async () => {
    await writeLinesFile(file, exportLines(store));
    lines = readFileSync(file, "utf8").trim().split("\n");
  });

  it("verifies untouched, with the keys given or those it carries", async () => {
    const trusted = keyMap([key.publicKey]);
    expect(await verifyFiles([file], { keys: trusted })).toMatchObject({
      ok: true,
      records: RECORDS,
      keysFrom: "given",
    });
    const carried = await verifyFiles([file]);
    expect(carried).toMatchObject({ ok: true, keysFrom: "source" });
    expect(carried.warnings[0]).toContain("keys held by the log itself");
  });

  it("an edited, deleted, inserted or moved line fails at that record", async () => {
    const edited = [...lines];
    edited[recordLine(33)] = edited[recordLine(33)].replace('"clerk-0"', '"clerk-9"');
    expectProblem(await verifyLines(edited), "altered", 33, "req-33");
    expectProblem(await verifyLines(lines.filter((_, i) => i !== recordLine(34))), "deleted", 34);
    const inserted = [...lines];
    inserted.splice(recordLine(35) + 1, 0, lines[recordLine(35)].replace('"req-35"', '"forged"'));
    expectProblem(await verifyLines(inserted), "inserted", 35, "forged");
    const moved = [...lines];
    [moved[recordLine(36)], moved[recordLine(37)]] = [moved[recordLine(37)], moved[recordLine(36)]];
    expectProblem(await verifyLines(moved), "reordered", 36);
  });

  it("a cut file, a forged checkpoint or an untrusted key fails", async () => {
    expect((await verifyLines(lines.slice(0, -1))).problem?.message).toContain("cut short");
    const second = (await store.checkpoints())[1].seq;
    const forged = lines.map((line) =>
      line.startsWith('{"type":"checkpoint"') && JSON.parse(line).seq === second
        ? line.replace(/"hash":"[0-9a-f]+"/, `"hash":"${"f".repeat(64)}"`)
        : line,
    );
    expectProblem(await verifyLines(forged), "signature", second);
    const stranger = generateSigningKey(testSuite());
    const outcome = await verifyLines(lines, keyMap([stranger.publicKey]));
    expectProblem(outcome, "signature", (await store.checkpoints())[0].seq);
    expect(outcome.problem!.message).toContain(`${key.keyId}, which is not among the trusted keys`);
  });

  it("onecert audit verify checks files and the database, and exits 1 naming the record", async () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)("node", ["gateway/cli/bin/onecert.cjs", "audit", ...args], {
        env: { ...process.env, ...env },
      }).then(
        (done) => ({ code: 0, stdout: done.stdout }),
        (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
      );
    const good = await cli(["verify", "--file", file, "--keys", keysFile]);
    expect(good).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`Audit log verified: ${RECORDS} record(s)`),
    });
    const edited = [...lines];
    edited[recordLine(57)] = edited[recordLine(57)].replace('"outcome":"ok"', '"outcome":"denied"');
    const bad = join(scratch.dir, "bad.ndjson");
    writeFileSync(bad, edited.join("\n") + "\n");
    const failed = await cli(["verify", "--file", bad, "--keys", keysFile]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("FAILED verification at record 57 (request req-57): altered");
    // The database itself, from another process: the embedded one must be closed first.
    const env: Record<string, string> = db.url ? { AUDIT_DATABASE_URL: db.url } : { DATABASE_URL: "" };
    if (!db.url) await db.close();
    const direct = await cli(
      ["verify", "--json", ...(db.url ? [] : ["--data-dir", join(scratch.dir, "pglite")])],
      env,
    );
    expect(direct.code).toBe(0);
    expect(JSON.parse(direct.stdout)).toMatchObject({ ok: true, records: RECORDS, keysFrom: "source" });
  });
});
