import { signTreeHead, treeHeadOf } from "@onecert/audit";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { consistent, headSigned } from "./merkle";

const h = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const leaf = (i: number) => h(Buffer.from([0]), Buffer.from(`record ${i}`));
const node = (l: Buffer, r: Buffer) => h(Buffer.from([1]), l, r);
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** MTH and SUBPROOF of RFC 9162, written out plainly as the reference. */
function root(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return node(root(leaves.slice(0, k)), root(leaves.slice(k)));
}
function subproof(m: number, leaves: Buffer[], whole: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return whole ? [] : [root(leaves)];
  const k = split(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), whole), root(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), root(leaves.slice(0, k))];
}

describe("the console's audit log check", () => {
  it("accepts RFC 9162 consistency proofs and refuses a forked root", async () => {
    const leaves = Array.from({ length: 13 }, (_, i) => leaf(i));
    for (const [m, n] of [
      [1, 13],
      [4, 13],
      [5, 13],
      [7, 8],
      [13, 13],
    ]) {
      const proof = subproof(m, leaves.slice(0, n), true).map((b) => b.toString("hex"));
      const [r1, r2] = [root(leaves.slice(0, m)), root(leaves.slice(0, n))].map((b) => b.toString("hex"));
      expect(await consistent(m, n, proof, r1, r2), `${m}->${n}`).toBe(true);
      if (m !== n) expect(await consistent(m, n, proof, r1, leaf(99).toString("hex"))).toBe(false);
    }
  });

  it("checks a tree head's signature against the log's key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const head = await signTreeHead(treeHeadOf(3, root([leaf(0), leaf(1), leaf(2)]), new Date()), {
      keyId: "k1",
      alg: "EdDSA",
      sign: (payload) => sign(null, payload, privateKey),
    });
    const keys = new Map([["k1", publicKey.export({ type: "spki", format: "pem" }).toString()]]);
    expect(await headSigned(head, keys)).toBe(true);
    expect(await headSigned({ ...head, treeSize: 4 }, keys)).toBe(false);
    expect(await headSigned(head, new Map())).toBe(false);
  });
});
