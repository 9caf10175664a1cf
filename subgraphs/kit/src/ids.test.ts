import { describe, expect, it } from "vitest";
import {
  birthDateFromIdNumber,
  ID_NUMBER_WEIGHTS,
  idNumberCheckChar,
  makeCertificateNumber,
  makeIdNumber,
  makeOrgCode,
  makeUnitNumber,
  makeUscc,
  normalizeCertificateNumber,
  orgCodeCheckChar,
  sexFromIdNumber,
  USCC_ALPHABET,
  usccCheckChar,
  validateCertificateNumber,
  validateIdNumber,
  validateIsoDate,
  validatePeriod,
  validateUnitNumber,
  validateUscc,
  type Validation,
} from "./ids";

const ID_EXAMPLES = ["11010519491231002X", "440524188001010014"];
const USCC_EXAMPLE = "91350100M000100Y43";
const UNIT_EXAMPLE = "320505400202GB00001F00010069";
const DIGITS = "0123456789";

/** A tiny deterministic generator so round trips cover the same values on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const reasonOf = (v: Validation): string => (v.ok ? "" : v.reason);

function expectRejected(v: Validation, pattern?: RegExp): void {
  expect(v.ok).toBe(false);
  const reason = reasonOf(v);
  expect(reason.length).toBeGreaterThan(5);
  if (pattern) expect(reason).toMatch(pattern);
}

/** Every string that differs from `value` in exactly one position, using the given alphabet. */
function substitutions(value: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    for (const ch of alphabet) if (ch !== value[i]) out.push(value.slice(0, i) + ch + value.slice(i + 1));
  }
  return out;
}

/** Every swap of two adjacent, different characters. */
function transpositions(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < value.length; i++) {
    if (value[i] === value[i + 1]) continue;
    out.push(value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2));
  }
  return out;
}

describe("id numbers (GB 11643-1999)", () => {
  it("accepts the DOMAIN examples", () => {
    for (const id of ID_EXAMPLES) expect(validateIdNumber(id)).toEqual({ ok: true });
    expect(ID_NUMBER_WEIGHTS).toEqual([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);
    expect(idNumberCheckChar("11010519491231002")).toBe("X");
    expect(sexFromIdNumber("11010519491231002X")).toBe("F");
    expect(sexFromIdNumber("440524188001010014")).toBe("M");
    expect(birthDateFromIdNumber("11010519491231002X")).toBe("1949-12-31");
  });

  it("rejects every single-character corruption and adjacent transposition", () => {
    for (const id of ID_EXAMPLES) {
      const corrupted = [...substitutions(id, DIGITS + "X"), ...transpositions(id)];
      expect(corrupted.length).toBeGreaterThan(150);
      for (const bad of corrupted) expect(validateIdNumber(bad).ok, bad).toBe(false);
    }
  });

  it("explains format problems", () => {
    expectRejected(validateIdNumber("11010519491231002x"), /upper-case X/);
    expectRejected(validateIdNumber("11010519491231002"), /18 characters, got 17/);
    expectRejected(validateIdNumber("11010519491231002X1"), /18 characters, got 19/);
    expectRejected(validateIdNumber(""), /got 0/);
    expectRejected(validateIdNumber("１1010519491231002X"), /character 1 .*"１".*digit/);
    expectRejected(validateIdNumber("1101051949123100张X"), /character 17/);
    expectRejected(validateIdNumber("11010519491231002😀"), /got 18|check character/);
    expectRejected(validateIdNumber("11010519491231002Y"), /check character is "Y"/);
    expectRejected(validateIdNumber("11010519491231002\u0000"), /U\+0000/);
    expectRejected(validateIdNumber("110105194912310020"), /check character is 0, expected X/);
  });

  it("rejects impossible, future and too early birth dates", () => {
    const withCheck = (first17: string): string => first17 + idNumberCheckChar(first17);
    expectRejected(validateIdNumber(withCheck("11010520230230001")), /20230230 is not a real calendar date/);
    expectRejected(validateIdNumber(withCheck("11010519000229001")), /not a real calendar date/);
    expect(validateIdNumber(withCheck("11010520000229001")).ok).toBe(true);
    expect(validateIdNumber(withCheck("11010518991231001")).ok).toBe(true);
    expectRejected(validateIdNumber(withCheck("11010517991231001")), /before 1800-01-01/);
    expectRejected(validateIdNumber(withCheck("11010529990101001")), /in the future/);
    const now = new Date(2024, 5, 15);
    expect(validateIdNumber(withCheck("11010520240615001"), now).ok).toBe(true);
    expectRejected(validateIdNumber(withCheck("11010520240616001"), now), /in the future/);
  });

  it("round-trips thousands of generated id numbers", () => {
    const rnd = lcg(7);
    for (let i = 0; i < 5000; i++) {
      const region = String(110000 + Math.floor(rnd() * 880000));
      const y = 1900 + Math.floor(rnd() * 124);
      const m = 1 + Math.floor(rnd() * 12);
      const d = 1 + Math.floor(rnd() * 28);
      const date = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const seq = 1 + Math.floor(rnd() * 999);
      const id = makeIdNumber(region, date, seq);
      expect(validateIdNumber(id), id).toEqual({ ok: true });
      expect(birthDateFromIdNumber(id)).toBe(date);
      expect(sexFromIdNumber(id)).toBe(seq % 2 === 1 ? "M" : "F");
    }
  });

  it("refuses to make an id number from bad parts", () => {
    expect(() => makeIdNumber("11010", "1990-01-01", 1)).toThrow();
    expect(() => makeIdNumber("110105", "1990-02-30", 1)).toThrow();
    expect(() => makeIdNumber("110105", "1990-01-01", 0)).toThrow();
    expect(() => makeIdNumber("110105", "1990-01-01", 1000)).toThrow();
  });
});

describe("unified social credit codes (GB 32100-2015)", () => {
  it("accepts the DOMAIN example and its organisation code", () => {
    expect(validateUscc(USCC_EXAMPLE)).toEqual({ ok: true });
    expect(usccCheckChar(USCC_EXAMPLE.slice(0, 17))).toBe("3");
    expect(orgCodeCheckChar("M000100Y")).toBe("4");
    expect(makeUscc("9", "1", "350100", "M000100Y4")).toBe(USCC_EXAMPLE);
  });

  it("rejects every single-character corruption and adjacent transposition", () => {
    const corrupted = [...substitutions(USCC_EXAMPLE, USCC_ALPHABET), ...transpositions(USCC_EXAMPLE)];
    expect(corrupted.length).toBeGreaterThan(500);
    for (const bad of corrupted) expect(validateUscc(bad).ok, bad).toBe(false);
  });

  it("names illegal characters and wrong lengths", () => {
    expectRejected(validateUscc("91350100M000100Y4"), /18 characters, got 17/);
    expectRejected(validateUscc(USCC_EXAMPLE + "0"), /got 19/);
    expectRejected(validateUscc("91350100I000100Y43"), /character 9 is "I"/);
    expectRejected(validateUscc("91350100O000100Y43"), /"O"/);
    expectRejected(validateUscc("91350100m000100Y43"), /lower-case "m".*upper-case/);
    expectRejected(validateUscc("91350100Ｍ000100Y43"), /"Ｍ"/);
    expectRejected(validateUscc("91350100M000100Y40"), /check character is 0, expected 3/);
  });

  it("makes organisation codes inside the USCC alphabet with a valid GB 11714 check", () => {
    const rnd = lcg(11);
    const seen = new Set<string>();
    const indexes = [0, 1, 30, 31, 31 ** 8 - 1];
    for (let i = 0; i < 3000; i++) indexes.push(Math.floor(rnd() * 31 ** 8));
    for (const index of indexes) {
      const code = makeOrgCode(index);
      expect(code).toHaveLength(9);
      for (const ch of code) expect(USCC_ALPHABET).toContain(ch);
      expect(orgCodeCheckChar(code.slice(0, 8))).toBe(code[8]);
      seen.add(code);
      const uscc = makeUscc("9", "1", "990101", code);
      expect(validateUscc(uscc), uscc).toEqual({ ok: true });
    }
    expect(seen.size).toBe(new Set(indexes).size);
    expect(() => makeOrgCode(-1)).toThrow();
    expect(() => makeOrgCode(31 ** 8)).toThrow();
  });
});

describe("real-estate unit numbers", () => {
  it("accepts the DOMAIN example and rejects structural corruptions", () => {
    expect(validateUnitNumber(UNIT_EXAMPLE)).toEqual({ ok: true });
    // Unit numbers carry no check character, so only corruptions that break the structure
    // (a letter where a digit belongs, an unknown parcel or fixture code) are detectable.
    for (let i = 0; i < UNIT_EXAMPLE.length; i++) {
      const replacement = /[0-9]/.test(UNIT_EXAMPLE[i]) ? "A" : "1";
      const bad = UNIT_EXAMPLE.slice(0, i) + replacement + UNIT_EXAMPLE.slice(i + 1);
      expect(validateUnitNumber(bad).ok, bad).toBe(false);
    }
    for (const t of transpositions(UNIT_EXAMPLE)) {
      if (/^[0-9]{12}[GJZ][A-Z][0-9]{5}[FLQW][0-9]{8}$/.test(t)) continue;
      expect(validateUnitNumber(t).ok, t).toBe(false);
    }
    expectRejected(validateUnitNumber("320505400202XB00001F00010069"), /G, J or Z, got "X"/);
    expectRejected(validateUnitNumber("320505400202gB00001F00010069"), /upper case/);
    expectRejected(validateUnitNumber("320505400202GB00001A00010069"), /fixture code/);
    expectRejected(validateUnitNumber("320505400202G100001F00010069"), /letter A-Z/);
    expectRejected(validateUnitNumber(UNIT_EXAMPLE.slice(1)), /28 characters, got 27/);
  });

  it("round-trips generated unit numbers", () => {
    const rnd = lcg(3);
    const pick = (s: string): string => s[Math.floor(rnd() * s.length)];
    for (let i = 0; i < 3000; i++) {
      const parts = {
        region: String(100000 + Math.floor(rnd() * 900000)),
        cadastralDistrict: Math.floor(rnd() * 1000),
        subDistrict: Math.floor(rnd() * 1000),
        parcelCode: pick("GJZ") + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        parcelSequence: Math.floor(rnd() * 100000),
        fixture: pick("FLQW"),
        unit: Math.floor(rnd() * 100_000_000),
      };
      const value = makeUnitNumber(parts);
      expect(value).toHaveLength(28);
      expect(validateUnitNumber(value), value).toEqual({ ok: true });
    }
    expect(() =>
      makeUnitNumber({
        region: "320505",
        cadastralDistrict: 1000,
        subDistrict: 1,
        parcelCode: "GB",
        parcelSequence: 1,
        fixture: "F",
        unit: 1,
      }),
    ).toThrow();
    expect(() =>
      makeUnitNumber({
        region: "320505",
        cadastralDistrict: 1,
        subDistrict: 1,
        parcelCode: "XB",
        parcelSequence: 1,
        fixture: "F",
        unit: 1,
      }),
    ).toThrow();
  });
});

describe("certificate numbers", () => {
  it("accepts ASCII and full-width brackets and normalises to ASCII", () => {
    expect(validateCertificateNumber("苏(2020)南京市不动产权第0001234号")).toEqual({ ok: true });
    expect(validateCertificateNumber("苏（2020）南京市不动产权第0001234号")).toEqual({ ok: true });
    expect(validateCertificateNumber("合(2019)合成市不动产权第0001234号")).toEqual({ ok: true });
    expect(validateCertificateNumber("浙(2018)安吉县不动产权第0000001号")).toEqual({ ok: true });
    expect(validateCertificateNumber("沪(2021)浦东新区不动产权第1234567号")).toEqual({ ok: true });
    expect(normalizeCertificateNumber(" 苏（2020）南京市不动产权第0001234号 ")).toBe(
      "苏(2020)南京市不动产权第0001234号",
    );
    expect(makeCertificateNumber("合", 2019, "合成市", 1234)).toBe("合(2019)合成市不动产权第0001234号");
  });

  it("explains malformed certificate numbers", () => {
    expectRejected(validateCertificateNumber(""), /empty/);
    expectRejected(validateCertificateNumber("JS(2020)南京市不动产权第0001234号"), /province/);
    expectRejected(validateCertificateNumber("苏[2020]南京市不动产权第0001234号"), /brackets/);
    expectRejected(validateCertificateNumber("苏(20a0)南京市不动产权第0001234号"), /four ASCII digits/);
    expectRejected(validateCertificateNumber("苏(2020)南京市不动产权第0001234"), /end with 号/);
    expectRejected(validateCertificateNumber("苏(2020)南京市不动产权第001234号"), /seven ASCII digits/);
    expectRejected(validateCertificateNumber("苏(2020)南京不动产权第0001234号"), /市, 县 or 区/);
    expectRejected(validateCertificateNumber("苏(2020)南京市不动产第0001234号"), /不动产权第/);
    expectRejected(validateCertificateNumber("苏(2020)Nanjing市不动产权第0001234号"), /市, 县 or 区/);
    expect(() => makeCertificateNumber("合", 2019, "合成", 1)).toThrow();
    expect(() => makeCertificateNumber("合", 2019, "合成市", 10_000_000)).toThrow();
  });
});

describe("periods and dates", () => {
  it("validates periods and ISO dates", () => {
    expect(validatePeriod("202401")).toEqual({ ok: true });
    expectRejected(validatePeriod("202413"), /not 01-12/);
    expectRejected(validatePeriod("202400"), /not 01-12/);
    expectRejected(validatePeriod("2024-01"), /YYYYMM/);
    expect(validateIsoDate("2024-02-29")).toEqual({ ok: true });
    expectRejected(validateIsoDate("2023-02-29"), /not a real calendar date/);
    expectRejected(validateIsoDate("2023-2-1"), /YYYY-MM-DD/);
    expectRejected(validateIsoDate("2023-13-01"), /not a real/);
  });
});

describe("validators never throw", () => {
  it("survives arbitrary strings, including lone surrogates", () => {
    const rnd = lcg(99);
    const validators = [
      validateIdNumber,
      validateUscc,
      validateUnitNumber,
      validateCertificateNumber,
      validatePeriod,
      validateIsoDate,
    ];
    const samples = [
      "",
      " ",
      "\uD800",
      "\uDFFF" + "1".repeat(17),
      "😀".repeat(9),
      "1".repeat(18),
      "苏(",
      "苏(2020)",
    ];
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(rnd() * 32);
      let s = "";
      for (let j = 0; j < length; j++)
        s += String.fromCharCode(rnd() < 0.7 ? 32 + Math.floor(rnd() * 96) : Math.floor(rnd() * 0x10000));
      samples.push(s);
    }
    for (const s of samples) {
      for (const validate of validators) {
        const v = validate(s);
        expect(typeof v.ok).toBe("boolean");
      }
    }
    // Non-strings from untyped callers are rejected rather than crashing.
    expect(validateIdNumber(undefined as unknown as string).ok).toBe(false);
    expect(validateUscc(42 as unknown as string).ok).toBe(false);
  });
});
