/**
 * The auditor's in-browser check of the audit log, as a witness would make it: each signed tree
 * head's Ed25519 signature against the log's published keys, and the RFC 9162 consistency proof
 * that the latest tree extends the first one seen. It runs on Web Crypto; an SM3/SM2 log (the
 * national suite) is left to `onecert audit verify`, which says so on the page.
 */

export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  suite: string;
  keyId: string;
  alg?: string;
  signature: string;
}

const HEAD_TYPE = "onecert-audit-tree-head";

const fromHex = (hex: string): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
};
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const joined = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

/** HASH(0x01 || left || right), as the log's tree. */
export const hashChildren = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/**
 * RFC 9162 §2.1.4.2: whether `proof` shows the tree of size2 (root2) extends that of size1 (root1).
 * Sizes and roots come from signed heads, so a pass means the log was only appended to between them.
 */
export async function consistent(
  size1: number,
  size2: number,
  proofHex: string[],
  root1Hex: string,
  root2Hex: string,
): Promise<boolean> {
  const root1 = fromHex(root1Hex);
  const root2 = fromHex(root2Hex);
  const proof = proofHex.map(fromHex);
  if (size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const powerOfTwo = (size1 & (size1 - 1)) === 0 && size1 < 2 ** 31;
  const path = powerOfTwo ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await hashChildren(c, fr);
      sr = await hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = await hashChildren(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

/** The bytes a head's signature covers: canonical JSON (sorted keys) of the head (see merkle/head.ts). */
export function headPayload(head: SignedTreeHead): Uint8Array<ArrayBuffer> {
  const { alg, keyId, rootHash, suite, timestamp, treeSize } = head;
  const body =
    alg === undefined
      ? { keyId, rootHash, suite, timestamp, treeSize, type: HEAD_TYPE, v: 1 }
      : { alg, keyId, rootHash, suite, timestamp, treeSize, type: HEAD_TYPE, v: 2 };
  return new TextEncoder().encode(JSON.stringify(body));
}

const pemBody = (pem: string) => fromBase64(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""));

/** Whether the head is signed (EdDSA) by the key of its keyId among `keys` (SPKI PEM by key id). */
export async function headSigned(head: SignedTreeHead, keys: Map<string, string>): Promise<boolean> {
  const pem = keys.get(head.keyId);
  if (!pem || (head.alg ?? "EdDSA") !== "EdDSA") return false;
  try {
    const key = await crypto.subtle.importKey("spki", pemBody(pem), { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify(
      { name: "Ed25519" },
      key,
      fromBase64(head.signature),
      headPayload(head),
    );
  } catch {
    return false;
  }
}
