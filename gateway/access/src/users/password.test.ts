import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, needsRehash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("stores scrypt with its parameters and a fresh salt, and verifies only the same password", async () => {
    const stored = await hashPassword("correct horse battery");
    const [scheme, n, r, p, salt, hash] = stored.split("$");
    expect([scheme, n, r, p]).toEqual(["scrypt", "16384", "8", "1"]);
    expect(Buffer.from(salt, "base64url")).toHaveLength(16);
    expect(Buffer.from(hash, "base64url")).toHaveLength(32);
    expect(await hashPassword("correct horse battery")).not.toBe(stored);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("correct horse battery", undefined)).toBe(false);
    expect(await verifyPassword("x", "scrypt$99999999$8$1$AAAA$AAAA")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(stored.replace("$16384$", "$1024$"))).toBe(true);
  });

  it("verifies a hash made with other parameters, as stored", async () => {
    const old = (await hashPassword("correct horse battery")).split("$");
    // Re-derive with N = 1024 through the public format: hash, then swap parameters and hash.
    const { scryptSync } = await import("node:crypto");
    const salt = Buffer.from(old[4], "base64url");
    const key = scryptSync("correct horse battery", salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = ["scrypt", 1024, 8, 1, old[4], key.toString("base64url")].join("$");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(needsRehash(stored)).toBe(true);
  });

  it("generates 24-character random passwords", () => {
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(password);
  });
});
