import {
  makeIdNumber,
  usccCheckChar as kitUsccCheckChar,
  validateIdNumber,
  validateUscc,
} from "@onecert/subgraph-kit/core";
import { describe, expect, it } from "vitest";
import { checkIdNumber, checkUscc, USCC_ALPHABET } from "./ids";

describe("console identifier checks", () => {
  it("accepts the standards' examples and names what is wrong otherwise", () => {
    expect(checkIdNumber("11010519491231002X")).toEqual({ ok: true });
    expect(checkIdNumber("440524188001010014")).toEqual({ ok: true });
    expect(checkIdNumber("110105194912310021")).toEqual({
      ok: false,
      problem: { code: "checkChar", given: "1", expected: "X" },
    });
    expect(checkIdNumber("11010519491231002x")).toEqual({ ok: false, problem: { code: "lowerX" } });
    expect(checkIdNumber("1101051949123")).toEqual({ ok: false, problem: { code: "length", length: 13 } });
    expect(checkIdNumber("110105194902300023")).toMatchObject({ problem: { code: "birthDate" } });
    expect(checkIdNumber("110105A94912310021")).toMatchObject({
      problem: { code: "character", position: 7 },
    });
    expect(checkUscc("91350100M000100Y43")).toEqual({ ok: true });
    expect(checkUscc("91350100M000100Y44")).toMatchObject({ problem: { code: "checkChar", expected: "3" } });
    expect(checkUscc("91350100M000100O43")).toMatchObject({ problem: { code: "character", position: 16 } });
  });

  it("agrees with the registries' own validators on every change of one character", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const ids = [makeIdNumber("990101", "1990-02-28", 17), makeIdNumber("990202", "2000-02-29", 2)];
    for (const id of ids)
      for (let at = 0; at < 18; at++)
        for (const ch of "0123456789Xx") {
          const changed = id.slice(0, at) + ch + id.slice(at + 1);
          expect(checkIdNumber(changed, now).ok, changed).toBe(validateIdNumber(changed, now).ok);
        }
    const code = `9199010100000000${"1"}`;
    const uscc = code + kitUsccCheckChar(code);
    for (let at = 0; at < 18; at++)
      for (const ch of `${USCC_ALPHABET}IOSVZ`) {
        const changed = uscc.slice(0, at) + ch + uscc.slice(at + 1);
        expect(checkUscc(changed).ok, changed).toBe(validateUscc(changed).ok);
      }
  });
});
