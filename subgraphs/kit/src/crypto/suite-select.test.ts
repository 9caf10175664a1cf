import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../settings";
import { nationalSuite } from "./national";
import { standardSuite } from "./standard";
import {
  cryptoSuiteFromEnv,
  privateKeyFromPem,
  publicKeyFromJwk,
  publicKeyFromPem,
  suiteByName,
  suiteForJwk,
  suiteForJwsAlg,
  suiteOf,
} from "./suite";
import type { CryptoSuite, SuiteName, SuitePrivateKey } from "./types";

describe("choosing a suite", () => {
  it("reads CRYPTO_SUITE, standard when unset or empty", () => {
    expect(cryptoSuiteFromEnv({})).toBe(standardSuite);
    expect(cryptoSuiteFromEnv({ CRYPTO_SUITE: "" })).toBe(standardSuite);
    expect(cryptoSuiteFromEnv({ CRYPTO_SUITE: "standard" })).toBe(standardSuite);
    expect(cryptoSuiteFromEnv({ CRYPTO_SUITE: " national " })).toBe(nationalSuite);
  });

  it("reports a bad value by name, alongside the other problems or as a ConfigError", () => {
    const problems: string[] = [];
    expect(cryptoSuiteFromEnv({ CRYPTO_SUITE: "sm2" }, problems)).toBe(standardSuite);
    expect(problems).toEqual(['CRYPTO_SUITE must be "standard" or "national", got "sm2"']);
    expect(() => cryptoSuiteFromEnv({ CRYPTO_SUITE: "National" })).toThrow(ConfigError);
    expect(() => cryptoSuiteFromEnv({ CRYPTO_SUITE: "National" })).toThrow(/CRYPTO_SUITE must be/);
  });

  it("finds the suite an artefact names: by name, JWS alg, JWK kty/crv or the key itself", () => {
    expect(suiteByName("national")).toBe(nationalSuite);
    expect(() => suiteByName("gm")).toThrow(/unknown crypto suite "gm"/);
    expect(suiteForJwsAlg("EdDSA")).toBe(standardSuite);
    expect(suiteForJwsAlg("SM2")).toBe(nationalSuite);
    for (const alg of ["none", "HS256", "ES256", "sm2", undefined]) expect(suiteForJwsAlg(alg)).toBeNull();
    expect(suiteForJwk({ kty: "EC", crv: "SM2" })).toBe(nationalSuite);
    expect(suiteForJwk({ kty: "OKP", crv: "Ed25519" })).toBe(standardSuite);
    expect(suiteForJwk({ kty: "EC", crv: "P-256" })).toBeNull();
    const key = nationalSuite.generateKeyPair();
    expect(suiteOf(key)).toBe(nationalSuite);
    expect(suiteOf(publicKeyFromJwk(key.publicKey.jwk))).toBe(nationalSuite);
  });

  it("reads key PEM of either suite, the suite taken from the key", () => {
    for (const suite of [standardSuite, nationalSuite]) {
      const key = suite.generateKeyPair();
      expect(privateKeyFromPem(key.exportPem()).suite).toBe(suite.name);
      expect(publicKeyFromPem(key.publicKey.pem).suite).toBe(suite.name);
    }
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(() => privateKeyFromPem(pem)).toThrow(/neither an Ed25519 key .* nor an SM2 key/);
    expect(() => publicKeyFromPem("no key here")).toThrow(/neither/);
  });
});

interface Entry {
  suite: SuiteName;
  body: string;
  prevHash: string;
  hash: string;
  signature: string;
}

describe("a chain that switched suite mid-way", () => {
  // A stand-in for the audit chain: each record names its suite, hashes and signs with it.
  const keys: Record<SuiteName, SuitePrivateKey> = {
    standard: standardSuite.generateKeyPair(),
    national: nationalSuite.generateKeyPair(),
  };
  const append = (chain: Entry[], suite: CryptoSuite, body: string): Entry[] => {
    const prevHash = chain.at(-1)?.hash ?? "0".repeat(64);
    const hash = suite.digest(prevHash, body).toString("hex");
    const signature = suite.sign(keys[suite.name], Buffer.from(hash)).toString("base64");
    return [...chain, { suite: suite.name, body, prevHash, hash, signature }];
  };
  const verifies = (chain: Entry[]): boolean =>
    chain.every((entry, index) => {
      const suite = suiteByName(entry.suite);
      const linked = entry.prevHash === (chain[index - 1]?.hash ?? "0".repeat(64));
      const hashed = suite.digest(entry.prevHash, entry.body).toString("hex") === entry.hash;
      const signature = Buffer.from(entry.signature, "base64");
      return (
        linked && hashed && suite.verify(keys[entry.suite].publicKey, Buffer.from(entry.hash), signature)
      );
    });

  let chain: Entry[] = [];
  for (const [suite, body] of [
    [standardSuite, "a"],
    [standardSuite, "b"],
    [nationalSuite, "c"],
    [nationalSuite, "d"],
  ] as const)
    chain = append(chain, suite, body);

  it("verifies end to end, each record in the suite it names", () => {
    expect(chain.map((entry) => entry.suite)).toEqual(["standard", "standard", "national", "national"]);
    expect(verifies(chain)).toBe(true);
  });

  it("fails when a record is altered or claims the other suite", () => {
    expect(verifies(chain.map((entry, i) => (i === 1 ? { ...entry, body: "B" } : entry)))).toBe(false);
    expect(verifies(chain.map((entry, i) => (i === 2 ? { ...entry, suite: "standard" } : entry)))).toBe(
      false,
    );
  });
});
