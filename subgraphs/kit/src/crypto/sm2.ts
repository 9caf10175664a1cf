import { weierstrass } from "@noble/curves/abstract/weierstrass.js";
import { randomBytes } from "node:crypto";
import { sm3 } from "./sm3";

/**
 * The distinguishing identifier GM/T 0009 prescribes when signer and verifier agreed on no other:
 * every OneCert artefact is signed under it, so any SM2 verifier checks it with its defaults.
 */
export const SM2_DEFAULT_ID = "1234567812345678";

/** A prime-field curve y² = x³ + ax + b with generator (Gx, Gy) of prime order n, cofactor 1. */
export interface Sm2Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  Gx: bigint;
  Gy: bigint;
}

const big = (hex: string): bigint => BigInt(`0x${hex.replace(/\s/g, "")}`);

/** The recommended curve of GB/T 32918.5 (sm2p256v1, OID 1.2.156.10197.1.301). */
export const SM2_P256: Sm2Curve = {
  p: big("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF"),
  a: big("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC"),
  b: big("28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93"),
  n: big("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123"),
  Gx: big("32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7"),
  Gy: big("BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0"),
};

/** Signs with one private key under one identifier; Z is computed once, not per message. */
export interface Sm2Signer {
  /** Uncompressed point, 04 || x || y. */
  readonly publicKey: Buffer;
  /** The signature r || s, each a 32-byte big-endian integer (as ES256 in JWS). */
  sign(message: Uint8Array): Buffer;
}

/** Verifies against one public key under one identifier. */
export interface Sm2Verifier {
  readonly publicKey: Buffer;
  /** False, never a throw, for any signature that is not a valid r || s of this key. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** SM2 signatures (GB/T 32918.2, GM/T 0003.2) with SM3 on one curve. */
export interface Sm2 {
  readonly curve: Sm2Curve;
  /** A uniformly random private key in [1, n-2], 32 bytes. */
  generatePrivateKey(): Buffer;
  /** The uncompressed public point of a private key; throws when the key is out of range. */
  publicKeyOf(privateKey: Uint8Array): Buffer;
  /** Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA); `id` defaults to SM2_DEFAULT_ID. */
  za(publicKey: Uint8Array, id?: string | Uint8Array): Buffer;
  signer(privateKey: Uint8Array, id?: string | Uint8Array): Sm2Signer;
  verifier(publicKey: Uint8Array, id?: string | Uint8Array): Sm2Verifier;
}

export interface Sm2Options {
  /** The per-signature secret k. Default uniform in [1, n-1] from the CSPRNG; set only by known-answer tests. */
  nonce?: () => bigint;
}

/** SM2 on `curve` (GB/T 32918.5's recommended one unless a test supplies the standard's example curve). */
export function sm2On(curve: Sm2Curve, options: Sm2Options = {}): Sm2 {
  const Point = weierstrass({ ...curve, h: 1n });
  const { n } = curve;
  const size = Point.Fp.BYTES;
  const toBytes = (value: bigint) => Buffer.from(value.toString(16).padStart(size * 2, "0"), "hex");
  const toInt = (bytes: Uint8Array) =>
    bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  const mod = (value: bigint) => ((value % n) + n) % n;
  const randomScalar = (max: bigint): bigint => {
    for (;;) {
      const candidate = toInt(randomBytes(size));
      if (candidate >= 1n && candidate <= max) return candidate;
    }
  };
  const nonce = options.nonce ?? (() => randomScalar(n - 1n));
  const curveBytes = Buffer.concat([curve.a, curve.b, curve.Gx, curve.Gy].map(toBytes));

  const scalarOf = (privateKey: Uint8Array): bigint => {
    const d = privateKey.length === size ? toInt(privateKey) : 0n;
    // d = n-1 is excluded by GB/T 32918.2 itself: the signature divides by 1 + d.
    if (d < 1n || d > n - 2n) throw new RangeError(`an SM2 private key is ${size} bytes in [1, n-2]`);
    return d;
  };
  const pointOf = (publicKey: Uint8Array) => Point.fromBytes(publicKey);
  const za = (publicKey: Uint8Array, id: string | Uint8Array = SM2_DEFAULT_ID): Buffer => {
    const idBytes = typeof id === "string" ? Buffer.from(id, "utf8") : Buffer.from(id);
    if (idBytes.length > 8191)
      throw new RangeError("an SM2 identifier is at most 8191 bytes (ENTL is 16 bits)");
    const entl = Buffer.alloc(2);
    entl.writeUInt16BE(idBytes.length * 8);
    const point = Buffer.from(pointOf(publicKey).toBytes(false)).subarray(1);
    return sm3(entl, idBytes, curveBytes, point);
  };

  return {
    curve,
    generatePrivateKey: () => toBytes(randomScalar(n - 2n)),
    publicKeyOf: (privateKey) => Buffer.from(Point.BASE.multiply(scalarOf(privateKey)).toBytes(false)),
    za,
    signer(privateKey, id) {
      const d = scalarOf(privateKey);
      const publicKey = Buffer.from(Point.BASE.multiply(d).toBytes(false));
      const z = za(publicKey, id);
      const inverse = Point.Fn.inv(1n + d);
      return {
        publicKey,
        sign(message) {
          const e = toInt(sm3(z, message));
          for (let attempt = 0; attempt < 64; attempt++) {
            const k = nonce();
            if (k < 1n || k >= n) continue;
            const r = mod(e + Point.BASE.multiply(k).toAffine().x);
            if (r === 0n || r + k === n) continue;
            const s = mod(inverse * (k - r * d));
            if (s === 0n) continue;
            return Buffer.concat([toBytes(r), toBytes(s)]);
          }
          throw new Error("SM2 signing found no usable nonce");
        },
      };
    },
    verifier(publicKey, id) {
      const point = pointOf(publicKey);
      const z = za(publicKey, id);
      let uses = 0;
      return {
        publicKey: Buffer.from(point.toBytes(false)),
        verify(message, signature) {
          if (signature.length !== size * 2) return false;
          const r = toInt(signature.subarray(0, size));
          const s = toInt(signature.subarray(size));
          if (r < 1n || r >= n || s < 1n || s >= n) return false;
          const t = mod(r + s);
          if (t === 0n) return false;
          // A key verified more than once (a cached JWKS key, say) gets window tables: ~25 ms
          // once, then s·G + t·P in about a third of the time. s and t are public.
          if (++uses === 2) point.precompute(4, false);
          const sum = Point.BASE.multiplyUnsafe(s).add(point.multiplyUnsafe(t));
          if (sum.is0()) return false;
          return mod(toInt(sm3(z, message)) + sum.toAffine().x) === r;
        },
      };
    },
  };
}

/** SM2 on the recommended curve, with random nonces. */
export const sm2: Sm2 = sm2On(SM2_P256);
