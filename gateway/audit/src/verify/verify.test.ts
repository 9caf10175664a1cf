import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sampleEntry } from "../testing";
import { chainEntries, GENESIS_HASH, recordHash, type AuditRecord } from "../record";
import { generateSigningKey, loadSigningKey } from "../key-file";
import { keyMap, signCheckpoint, type Checkpoint } from "../signing";
import { verifyChain, type VerifyInput } from "./verify";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const generated = generateSigningKey();
const dir = mkdtempSync(join(tmpdir(), "onecert-verify-"));
const file = join(dir, "key.pem");
const key = loadSigningKey(file, true);
rmSync(dir, { recursive: true, force: true });

/** 30 records in batches of 3, a checkpoint after every 9. */
function chain(): { records: AuditRecord[]; checkpoints: Checkpoint[] } {
  const records: AuditRecord[] = [];
  const checkpoints: Checkpoint[] = [];
  let head = { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) };
  for (let n = 1; n <= 30; n += 3) {
    const batch = chainEntries(head, [sampleEntry(n), sampleEntry(n + 1), sampleEntry(n + 2)], new Date());
    records.push(...batch);
    const last = batch[batch.length - 1];
    head = { seq: last.seq, hash: last.hash, loggedAt: new Date(last.loggedAt) };
    if (last.seq % 9 === 0) checkpoints.push(signCheckpoint(key, last.seq, last.hash, new Date()));
  }
  return { records, checkpoints };
}

async function* iterate(records: AuditRecord[]) {
  yield* records;
}

const run = (records: AuditRecord[], checkpoints: Checkpoint[], extra: Partial<VerifyInput> = {}) =>
  verifyChain({
    anchor: { seq: 0, hash: GENESIS_HASH },
    records: iterate(records),
    checkpoints,
    trustedKeys: keyMap([key.publicKey]),
    ...extra,
  });

describe("verifyChain", () => {
  it("accepts an untouched chain and counts what a signature covers", async () => {
    const { records, checkpoints } = chain();
    expect(
      await run(records, checkpoints, { head: () => ({ seq: 30, hash: records[29].hash }) }),
    ).toMatchObject({
      ok: true,
      records: 30,
      lastSeq: 30,
      checkpoints: 3,
      unsigned: 3,
    });
  });

  it("names the record that was altered, deleted, inserted, moved or renumbered", async () => {
    const { records, checkpoints } = chain();
    const altered = records.map((r) => (r.seq === 12 ? { ...r, outcome: "denied" as const } : r));
    expect((await run(altered, checkpoints)).problem).toMatchObject({
      kind: "altered",
      seq: 12,
      requestId: "req-12",
    });
    expect(
      (
        await run(
          records.filter((r) => r.seq !== 13),
          checkpoints,
        )
      ).problem,
    ).toMatchObject({ kind: "deleted", seq: 13 });
    const copy = { ...records[13], requestId: "forged", id: "forged" };
    const inserted = [...records.slice(0, 14), copy, ...records.slice(14)];
    expect((await run(inserted, checkpoints)).problem).toMatchObject({
      kind: "inserted",
      seq: 14,
      requestId: "forged",
    });
    const moved = [...records];
    [moved[14], moved[15]] = [moved[15], moved[14]];
    expect((await run(moved, checkpoints)).problem).toMatchObject({ kind: "reordered", seq: 15 });
    // An extra record chained in properly, and those after it renumbered and rehashed alone.
    const extra = { ...records[16], requestId: "extra", id: "extra" };
    extra.hash = recordHash(extra);
    const shifted = records.slice(16).map((r) => ({ ...r, seq: r.seq + 1 }));
    const renumbered = [...records.slice(0, 16), extra, ...shifted];
    expect((await run(renumbered, checkpoints)).problem).toMatchObject({
      kind: "inserted",
      seq: 17,
      requestId: "extra",
    });
  });

  it("detects a chain rewritten and rehashed at its next checkpoint, and the last records deleted", async () => {
    const { records, checkpoints } = chain();
    let prev = records[9].prevHash;
    const rewritten = records.map((record) => {
      if (record.seq < 10) return record;
      const changed = {
        ...record,
        prevHash: prev,
        operatorId: record.seq === 10 ? "someone-else" : record.operatorId,
      };
      changed.hash = recordHash(changed);
      prev = changed.hash;
      return changed;
    });
    expect((await run(rewritten, checkpoints)).problem).toMatchObject({ kind: "checkpoint", seq: 10 });
    expect((await run(records.slice(0, 15), checkpoints)).problem).toMatchObject({
      kind: "deleted",
      seq: 16,
    });
    const truncated = records.slice(0, 28);
    expect(
      (await run(truncated, checkpoints, { head: () => ({ seq: 30, hash: "x" }) })).problem,
    ).toMatchObject({
      kind: "deleted",
      seq: 29,
    });
  });

  it("refuses a checkpoint signed by a key it does not trust, or forged", async () => {
    const { records, checkpoints } = chain();
    const stranger = await run(records, checkpoints, { trustedKeys: keyMap([generated.publicKey]) });
    expect(stranger.problem).toMatchObject({ kind: "signature", seq: 9 });
    const forged = checkpoints.map((c) => (c.seq === 18 ? { ...c, hash: records[16].hash } : c));
    expect((await run(records, forged)).problem).toMatchObject({ kind: "signature", seq: 18 });
  });

  it("starts from an anchor, as after an archived month", async () => {
    const { records, checkpoints } = chain();
    const outcome = await run(records.slice(9), checkpoints, { anchor: { seq: 9, hash: records[8].hash } });
    expect(outcome).toMatchObject({ ok: true, records: 21, checkpoints: 3 });
  });
});

describe("signing keys", () => {
  it("creates a development key with mode 0600 and derives its id from the key", () => {
    const scratch = mkdtempSync(join(tmpdir(), "onecert-key-"));
    try {
      const path = join(scratch, "nested", "key.pem");
      const created = loadSigningKey(path, true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(loadSigningKey(path, false).keyId).toBe(created.keyId);
      expect(keyMap([created.publicKey]).has(created.keyId)).toBe(true);
      expect(created.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
      expect(() => loadSigningKey(join(scratch, "missing.pem"), false)).toThrow(/does not exist/);
      expect(createPublicKey(created.publicKey).asymmetricKeyType).toBe("ed25519");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
