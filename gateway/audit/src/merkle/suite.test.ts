import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainEntries, GENESIS_HASH } from "../record";
import { sampleEntry } from "../testing";
import { TreeBuilder } from "./builder";
import { leafOfRecord, recordLeafHash } from "./leaves";
import { proveConsistency, proveInclusion, rootAt } from "./prove";
import { leafHashes, storeOf } from "./testing";
import { treeHash } from "./tree";
import { emptyRoot, verifyConsistency, verifyInclusion, type HashSuite } from "./verify";

// A suite with another digest length stands in for SM3 (also 32 bytes), showing that nothing
// assumes sha256 or 32 bytes: swapping the suite is all a caller does.
const SHA384: HashSuite = {
  name: "sha384",
  size: 48,
  digest: (data) => createHash("sha384").update(data).digest(),
};

describe("the leaf of an audit record", () => {
  it("is the 32 bytes of its record hash, hashed as a leaf", () => {
    const records = chainEntries(
      { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) },
      [sampleEntry(1), sampleEntry(2), sampleEntry(3)],
      new Date("2026-01-02T03:04:05.006Z"),
    );
    const builder = new TreeBuilder();
    for (const record of records) {
      expect(leafOfRecord(record.hash)).toEqual(Buffer.from(record.hash, "hex"));
      expect(recordLeafHash(record.hash)).toEqual(
        createHash("sha256")
          .update(Buffer.concat([Buffer.from([0]), Buffer.from(record.hash, "hex")]))
          .digest(),
      );
      builder.appendData(leafOfRecord(record.hash));
    }
    expect(builder.root()).toEqual(treeHash(records.map((record) => recordLeafHash(record.hash))));
  });

  it("refuses anything but 64 lowercase hex digits", () => {
    for (const bad of [
      "",
      "ab",
      GENESIS_HASH.toUpperCase().replace(/0/g, "A"),
      `${GENESIS_HASH}00`,
      "g".repeat(64),
    ])
      expect(() => leafOfRecord(bad)).toThrow(RangeError);
  });
});

describe("a pluggable hash suite", () => {
  it("builds, proves and verifies under another digest, and refuses proofs of the default one", async () => {
    const leaves = leafHashes(37, 2, SHA384);
    const store = await storeOf(leaves, SHA384);
    expect(emptyRoot(SHA384)).toHaveLength(48);
    for (let size = 1; size <= leaves.length; size += 1) {
      const root = await rootAt(store, size, SHA384);
      expect(root).toEqual(treeHash(leaves.slice(0, size), SHA384));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const proof = await proveInclusion(store, index, size, SHA384);
        expect(verifyInclusion(index, size, leaves[index], proof, root, SHA384)).toBe(true);
      }
      for (const size1 of [1, Math.ceil(size / 3), size]) {
        const proof = await proveConsistency(store, size1, size, SHA384);
        const root1 = await rootAt(store, size1, SHA384);
        expect(verifyConsistency(size1, size, proof, root1, root, SHA384)).toBe(true);
      }
    }
    const sha256Leaves = leafHashes(5, 2);
    const sha256Store = await storeOf(sha256Leaves);
    const proof = await proveInclusion(sha256Store, 1, 5);
    const root = await rootAt(sha256Store, 5);
    expect(verifyInclusion(1, 5, sha256Leaves[1], proof, root, SHA384)).toBe(false);
  });
});

describe("the standalone verifier file", () => {
  const importsOf = (file: string): string[] =>
    [...readFileSync(join(__dirname, file), "utf8").matchAll(/^import[^;]*?from "([^"]+)"/gms)].map(
      (match) => match[1],
    );

  it("imports the kit's crypto suites and nothing else, and head.ts only the verifier", () => {
    expect(importsOf("verify.ts")).toEqual(["@onecert/subgraph-kit/suites"]);
    expect(importsOf("head.ts")).toEqual(["./verify"]);
  });
});
