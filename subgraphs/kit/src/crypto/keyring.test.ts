import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, openDb, type Db } from "../db";
import { signJws, verifyJws } from "./jws";
import { createKeyring, KEYRING_SCHEMA, keyringMigrations, type KeyringOptions } from "./keyring";
import { nationalSuite } from "./national";
import { KeyUnavailableError } from "./seal";
import { standardSuite } from "./standard";
import { publicKeyFromJwk } from "./suite";

let db: Db;
beforeAll(async () => {
  db = openDb();
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
});
afterAll(() => db.close());

const DAY = 86_400_000;
// Each test has a purpose of its own, so that tests sharing the database share no keys.
let purposes = 0;
const fresh = () => `test-${++purposes}`;

function clock(start = new Date("2030-01-01T00:00:00Z")) {
  let at = start.getTime();
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Error) => error,
  );

describe("keyring", () => {
  it("makes the signing key on first use and reuses it, also from another keyring on the same database", async () => {
    const purpose = fresh();
    const keyring = createKeyring(db, { purpose });
    const first = await keyring.signingKey();
    const again = await keyring.signingKey();
    const elsewhere = await createKeyring(db, { purpose }).signingKey();
    expect(again.kid).toBe(first.kid);
    expect(elsewhere.kid).toBe(first.kid);
    expect(first.suite).toBe(standardSuite);
    expect(await keyring.list()).toHaveLength(1);
    // What it signs verifies with what it publishes, under the kid it names.
    const [published] = await keyring.published();
    expect(published.kid).toBe(first.kid);
    expect(published.publicJwk).toMatchObject({ kid: first.kid, alg: "EdDSA", use: "sig", crv: "Ed25519" });
    const token = signJws(first.suite, first.key, { kid: first.kid }, "payload");
    expect(verifyJws(token, publicKeyFromJwk(published.publicJwk)).payload.toString()).toBe("payload");
  });

  it("keeps the keys of each purpose apart", async () => {
    const [a, b] = [fresh(), fresh()];
    const proof = createKeyring(db, { purpose: a });
    const hop = createKeyring(db, { purpose: b });
    const proofKey = await proof.signingKey();
    const hopKey = await hop.signingKey();
    expect(hopKey.kid).not.toBe(proofKey.kid);
    await hop.rotate();
    expect((await proof.signingKey()).kid).toBe(proofKey.kid);
    expect((await proof.list()).map((key) => key.kid)).toEqual([proofKey.kid]);
    expect(await hop.list()).toHaveLength(2);
  });

  it("replaces the active key once older than rotateAfterMs, keeping the old one published only while what it signed is valid", async () => {
    const time = clock();
    const keyring = createKeyring(db, { purpose: fresh(), rotateAfterMs: 10 * DAY, now: time.now });
    const old = await keyring.signingKey();
    await keyring.noteSigned(old.kid, new Date(time.now().getTime() + 12 * DAY));
    time.advance(10 * DAY - 1);
    expect((await keyring.signingKey()).kid).toBe(old.kid);
    time.advance(2);
    const next = await keyring.signingKey();
    expect(next.kid).not.toBe(old.kid);
    expect((await keyring.published()).map((key) => key.kid)).toEqual([next.kid, old.kid]);
    const [, retired] = await keyring.list();
    expect(retired.retiredAt).toEqual(time.now());
    // Once the last artefact it signed has expired, the old key is no longer published.
    time.advance(2 * DAY);
    expect((await keyring.published()).map((key) => key.kid)).toEqual([next.kid]);
    expect(await keyring.list()).toHaveLength(2);
  });

  it("noteSigned only ever extends how long a key stays published", async () => {
    const time = clock();
    const keyring = createKeyring(db, { purpose: fresh(), now: time.now });
    const { kid } = await keyring.signingKey();
    const later = new Date(time.now().getTime() + 5 * DAY);
    await keyring.noteSigned(kid, later);
    await keyring.noteSigned(kid, new Date(time.now().getTime() + DAY));
    const [key] = await keyring.list();
    expect(key.signedUntil).toEqual(later);
  });

  it("rotate() retires the active key at once and leaves exactly one active key", async () => {
    const keyring = createKeyring(db, { purpose: fresh() });
    const old = await keyring.signingKey();
    const made = await keyring.rotate();
    expect(made.kid).not.toBe(old.kid);
    expect(made.retiredAt).toBeNull();
    expect((await keyring.signingKey()).kid).toBe(made.kid);
    const keys = await keyring.list();
    expect(keys.filter((key) => key.retiredAt === null).map((key) => key.kid)).toEqual([made.kid]);
    expect((await keyring.published()).map((key) => key.kid)).toEqual([made.kid]);
  });

  it("a keyring of another suite replaces the active key by one of its suite on next use", async () => {
    const purpose = fresh();
    const standard = await createKeyring(db, { purpose }).signingKey();
    const national = createKeyring(db, { purpose, suite: nationalSuite });
    const key = await national.signingKey();
    expect(key.kid).not.toBe(standard.kid);
    expect(key.suite).toBe(nationalSuite);
    expect(key.key.suite).toBe("national");
    expect(key.kid).toBe(nationalSuite.thumbprint(key.key.publicKey));
    const [active, retired] = await national.list();
    expect(active.publicJwk).toMatchObject({ kty: "EC", crv: "SM2", alg: "SM2", kid: key.kid });
    expect(retired.kid).toBe(standard.kid);
    expect(retired.retiredAt).not.toBeNull();
    expect((await national.signingKey()).kid).toBe(key.kid);
  });

  describe("with a secret", () => {
    const options = (purpose: string, extra: Partial<KeyringOptions> = {}): KeyringOptions => ({
      purpose,
      secret: "correct horse battery staple",
      ...extra,
    });

    it("stores the private key sealed, and opens it again with the secret", async () => {
      const purpose = fresh();
      const made = await createKeyring(db, options(purpose)).signingKey();
      const [row] = await db.query<{ private_key: string; encrypted: boolean }>(
        "SELECT private_key, encrypted FROM keyring.keys WHERE purpose = $1",
        [purpose],
      );
      expect(row.encrypted).toBe(true);
      expect(row.private_key).not.toContain("PRIVATE KEY");
      const reopened = await createKeyring(db, options(purpose)).signingKey();
      expect(reopened.kid).toBe(made.kid);
      expect(reopened.key.exportPem()).toBe(made.key.exportPem());
    });

    it("refuses to open an encrypted key without the secret, or with another, naming the setting", async () => {
      const purpose = fresh();
      await createKeyring(db, options(purpose)).signingKey();
      const missing = await failure(
        createKeyring(db, { purpose, secretName: "HOP_KEY_SECRET" }).signingKey(),
      );
      expect(missing).toBeInstanceOf(KeyUnavailableError);
      expect(missing).toMatchObject({ code: "PROOF_KEY_UNAVAILABLE" });
      expect(missing?.message).toMatch(/encrypted: set HOP_KEY_SECRET/);
      const wrong = await failure(createKeyring(db, options(purpose, { secret: "guess" })).signingKey());
      expect(wrong).toBeInstanceOf(KeyUnavailableError);
      expect(wrong?.message).toMatch(/cannot be decrypted with this PROOF_KEY_SECRET/);
      // Refusing is not replacing: the sealed key stays the only one.
      expect(await createKeyring(db, { purpose }).list()).toHaveLength(1);
    });
  });
});
