import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../record";
import { generateSigningKey } from "../key-file";
import {
  headConsistencyProblem,
  signTreeHead,
  treeHeadOf,
  treeHeadPayload,
  treeHeadProblem,
  type SignedTreeHead,
  type TreeHeadSigner,
  type TreeHeadVerifier,
} from "./head";
import { leafHashes } from "./testing";
import { consistencyPath, treeHash } from "./tree";
import { SHA256, type HashSuite } from "./verify";

// The checkpoint keys the audit trail already has (Ed25519, ids derived from the key) sign heads.
const key = generateSigningKey();
const signer: TreeHeadSigner = {
  keyId: key.keyId,
  alg: "EdDSA",
  sign: (payload) => sign(null, payload, createPrivateKey(key.privatePem)),
};
const trusted = new Map([[key.keyId, createPublicKey(key.publicKey)]]);
const verifier: TreeHeadVerifier = (payload, signature, keyId, alg) => {
  const publicKey = trusted.get(keyId);
  return alg === "EdDSA" && publicKey !== undefined && verify(null, payload, publicKey, signature);
};

const LEAVES = leafHashes(40, 5);
const AT = new Date("2026-03-04T05:06:07.089Z");
const headOf = (size: number, at = AT) => treeHeadOf(size, treeHash(LEAVES.slice(0, size)), at);

describe("signed tree heads", () => {
  it("sign the canonical JSON of size, root, time, suite, key and algorithm, typed apart from checkpoints", async () => {
    const signed = await signTreeHead(headOf(17), signer);
    expect(signed).toMatchObject({
      treeSize: 17,
      suite: "sha256",
      timestamp: AT.toISOString(),
      keyId: key.keyId,
      alg: "EdDSA",
    });
    expect(signed.rootHash).toBe(treeHash(LEAVES.slice(0, 17)).toString("hex"));
    const { signature: _, ...body } = signed;
    const payload = treeHeadPayload(body);
    expect(payload.toString()).toBe(canonicalJson({ ...body, type: "onecert-audit-tree-head", v: 2 }));
    expect(payload.toString()).toBe(
      `{"alg":"EdDSA","keyId":"${key.keyId}","rootHash":"${signed.rootHash}","suite":"sha256",` +
        `"timestamp":"2026-03-04T05:06:07.089Z","treeSize":17,"type":"onecert-audit-tree-head","v":2}`,
    );
    expect(treeHeadProblem(signed, verifier)).toBeNull();
    expect(treeHeadProblem(signed, verifier, SHA256)).toBeNull();
    // A head signed before heads named their algorithm (version 1, no alg) keeps its bytes.
    const { alg: _alg, signature: _sig, ...old } = signed;
    const v1 = { ...old, signature: Buffer.from(await signer.sign(treeHeadPayload(old))).toString("base64") };
    expect(treeHeadPayload(old).toString()).toContain('"v":1');
    expect(treeHeadProblem(v1, verifier)).toBeNull();
    expect(treeHeadProblem({ ...v1, alg: "EdDSA" }, verifier)).toMatch(/signature does not verify/);
  });

  it("refuse any changed field, an unknown key, and a malformed head", async () => {
    const signed = await signTreeHead(headOf(17), signer);
    const changed: SignedTreeHead[] = [
      { ...signed, treeSize: 16 },
      { ...signed, rootHash: treeHash(LEAVES.slice(0, 16)).toString("hex") },
      { ...signed, timestamp: "2026-03-04T05:06:07.090Z" },
      { ...signed, keyId: "ed25519:0000000000000000" },
      { ...signed, signature: Buffer.alloc(64).toString("base64") },
      { ...signed, signature: "" },
    ];
    for (const head of changed) expect(treeHeadProblem(head, verifier)).toMatch(/signature does not verify/);
    // The suite names the algorithm: a sha256 head renamed sm3 is an SM3 tree signed with EdDSA.
    expect(treeHeadProblem({ ...signed, suite: "sm3" }, verifier)).toMatch(/sm3 tree signed with EdDSA/);
    expect(treeHeadProblem({ ...signed, suite: "md5" }, verifier)).toMatch(/not one this verifier knows/);
    expect(treeHeadProblem({ ...signed, alg: "SM2" }, verifier)).toMatch(/sha256 tree signed with SM2/);
    expect(treeHeadProblem({ ...signed, timestamp: "2026-03-04" }, verifier)).toMatch(/not an ISO 8601/);
    expect(treeHeadProblem({ ...signed, treeSize: -1 }, verifier)).toMatch(/not a whole number/);
    expect(treeHeadProblem({ ...signed, rootHash: "XYZ" }, verifier)).toMatch(/not hex/);
    expect(() => treeHeadPayload({ ...signed, suite: "" })).toThrow(
      /cannot be signed: it names no hash suite/,
    );
  });

  it("hold a head to the suite the verifier expects", async () => {
    const other: HashSuite = { ...SHA256, name: "sha256-copy" };
    const signed = await signTreeHead(headOf(3), signer);
    expect(treeHeadProblem(signed, verifier, other)).toBe("it is a sha256 tree, not sha256-copy");
    const short = await signTreeHead({ ...headOf(3), rootHash: "ab".repeat(20) }, signer);
    expect(treeHeadProblem(short, verifier, SHA256)).toMatch(/not 32 bytes long/);
  });

  it("let a witness check that a newer head extends the one it kept, and name a fork or rollback", async () => {
    const [older, newer] = [await signTreeHead(headOf(9), signer), await signTreeHead(headOf(33), signer)];
    const proof = consistencyPath(9, LEAVES.slice(0, 33));
    expect(headConsistencyProblem(older, newer, proof)).toBeNull();
    expect(headConsistencyProblem(newer, older, proof)).toBe(
      "tree head 33 to 9: rollback: tree size 9 is smaller than the tree size 33 seen before",
    );
    const forked = LEAVES.slice(0, 33);
    forked[4] = leafHashes(1, 77)[0];
    const forkedHead = treeHeadOf(33, treeHash(forked), AT);
    expect(headConsistencyProblem(older, forkedHead, consistencyPath(9, forked))).toMatch(
      /^tree head 9 to 33: fork or bad proof/,
    );
    const sameSize = treeHeadOf(9, treeHash(forked.slice(0, 9)), AT);
    expect(headConsistencyProblem(older, sameSize, [])).toBe(
      "tree head 9 to 9: fork: two different roots for tree size 9",
    );
    expect(headConsistencyProblem(older, { ...newer, suite: "sm3" }, proof)).toMatch(/not a sha256 tree/);
  });
});
