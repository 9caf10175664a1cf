import { randomBytes } from "node:crypto";
import { sm3 as jsSm3 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { createSm3, sm3 } from "./sm3";

describe("sm3", () => {
  it("gives the GB/T 32905 appendix A digests", () => {
    expect(sm3("abc").toString("hex")).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    );
    expect(sm3("abcd".repeat(16)).toString("hex")).toBe(
      "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    );
  });

  it("agrees with an independent implementation around every padding boundary", () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = randomBytes(length);
      expect(sm3(data).toString("hex"), `length ${length}`).toBe(jsSm3(data));
    }
  });

  it("hashes parts as their concatenation, text as UTF-8", () => {
    expect(sm3("ab", Buffer.from("c"))).toEqual(sm3("abc"));
    expect(sm3("证明")).toEqual(sm3(Buffer.from("证明", "utf8")));
    expect(createSm3().update("a").update("bc").digest()).toEqual(sm3("abc"));
  });
});
