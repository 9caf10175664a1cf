/**
 * Identifier formats shared by every registry: validation for API input and construction for
 * synthetic data. Validators are pure, never throw, and explain a rejection in one short English
 * sentence because the reason is shown to API callers; make* functions throw on bad parts since
 * a bad part there is a programming error.
 */

/** Outcome of a validator: ok, or a short English sentence saying what is wrong. */
export type Validation = { ok: true } | { ok: false; reason: string };

const OK: Validation = { ok: true };
const fail = (reason: string): Validation => ({ ok: false, reason });

/** Length in code points, so a reason never reports half a surrogate pair as a character. */
const charCount = (value: string): number => Array.from(value).length;

/** Quoted rendering of a character for reasons; control characters are shown as code points. */
const show = (ch: string): string => {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `"${ch}"`;
};

const isDigit = (ch: string): boolean => ch >= "0" && ch <= "9" && ch.length === 1;
const allDigits = (s: string): boolean => /^[0-9]*$/.test(s);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for Gregorian leap years. */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in a month (1-based) of a year. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);

/** Whether y-m-d (numbers) names a real Gregorian calendar day. */
const isRealDate = (y: number, m: number, d: number): boolean =>
  m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);

/** Today as YYYYMMDD in local time; the clock is the only impurity and it is injectable. */
const compactDate = (now: Date): string =>
  `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, "0")}${String(now.getDate()).padStart(2, "0")}`;

// ---------------------------------------------------------------------------------------------
// ID number, GB 11643-1999
// ---------------------------------------------------------------------------------------------

/** Weights of GB 11643-1999 over the first 17 digits of an id number. */
export const ID_NUMBER_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";

/** Check character of an id number from its first 17 digits; throws on malformed input. */
export function idNumberCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError("expected 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const digit = first17.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw new RangeError("expected 17 digits");
    sum += digit * ID_NUMBER_WEIGHTS[i];
  }
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/**
 * Earliest birth date accepted. The brief asked for 1900-01-01, but GB 11643's own example
 * 440524188001010014 (also in DOMAIN.md) is born in 1880, so the bound is 1800-01-01.
 */
export const MIN_BIRTH_DATE = "1800-01-01";
const MIN_BIRTH_COMPACT = MIN_BIRTH_DATE.replace(/-/g, "");

/** Validates an 18-character id number: format, real birth date in [MIN_BIRTH_DATE, today], check character. */
export function validateIdNumber(value: string, now: Date = new Date()): Validation {
  if (typeof value !== "string") return fail("id number must be a string");
  if (value.length !== 18) return fail(`id number must be 18 characters, got ${charCount(value)}`);
  for (let i = 0; i < 17; i++) {
    const ch = value.charAt(i);
    if (!isDigit(ch)) return fail(`character ${i + 1} of the id number is ${show(ch)}, expected a digit`);
  }
  const last = value.charAt(17);
  if (last === "x") return fail("check character must be upper-case X, not lower-case x");
  if (!isDigit(last) && last !== "X") return fail(`check character is ${show(last)}, expected a digit or X`);
  const birth = value.slice(6, 14);
  const y = Number(birth.slice(0, 4));
  const m = Number(birth.slice(4, 6));
  const d = Number(birth.slice(6, 8));
  if (!isRealDate(y, m, d)) return fail(`birth date ${birth} is not a real calendar date`);
  if (birth < MIN_BIRTH_COMPACT) return fail(`birth date ${birth} is before ${MIN_BIRTH_DATE}`);
  if (birth > compactDate(now)) return fail(`birth date ${birth} is in the future`);
  const expected = idNumberCheckChar(value.slice(0, 17));
  if (last !== expected) return fail(`check character is ${last}, expected ${expected}`);
  return OK;
}

/** Builds a valid id number; birthDate is YYYY-MM-DD and sequence 1..999 (odd male, even female). */
export function makeIdNumber(region: string, birthDate: string, sequence: number): string {
  if (region.length !== 6 || !allDigits(region)) throw new RangeError(`region must be 6 digits: ${region}`);
  const date = validateIsoDate(birthDate);
  if (!date.ok) throw new RangeError(date.reason);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError(`sequence must be an integer in 1..999: ${sequence}`);
  }
  const first17 = region + birthDate.replace(/-/g, "") + String(sequence).padStart(3, "0");
  return first17 + idNumberCheckChar(first17);
}

/** Sex recorded in an id number (odd 17th digit male); throws if the value is not 18 characters. */
export function sexFromIdNumber(idNumber: string): "M" | "F" {
  const digit = idNumber.length === 18 ? idNumber.charCodeAt(16) - 48 : -1;
  if (digit < 0 || digit > 9) throw new RangeError("not an id number");
  return digit % 2 === 1 ? "M" : "F";
}

/** Birth date of an id number as YYYY-MM-DD; throws if the value is not 18 characters. */
export function birthDateFromIdNumber(idNumber: string): string {
  if (idNumber.length !== 18 || !allDigits(idNumber.slice(6, 14))) throw new RangeError("not an id number");
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

// ---------------------------------------------------------------------------------------------
// Unified social credit code, GB 32100-2015, and organisation code, GB 11714
// ---------------------------------------------------------------------------------------------

/** The 31 characters a USCC may use, in value order (no I, O, S, V, Z). */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weights of GB 32100-2015 over the first 17 characters of a USCC. */
export const USCC_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CODE_SPACE = 31 ** 8;

/** Check character of a USCC from its first 17 characters; throws on characters outside the alphabet. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError("expected 17 characters");
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (v < 0) throw new RangeError(`illegal USCC character ${show(first17.charAt(i))}`);
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Validates an 18-character unified social credit code: alphabet and check character. */
export function validateUscc(value: string): Validation {
  if (typeof value !== "string") return fail("unified social credit code must be a string");
  if (value.length !== 18)
    return fail(`unified social credit code must be 18 characters, got ${charCount(value)}`);
  for (let i = 0; i < 18; i++) {
    const ch = value.charAt(i);
    if (USCC_ALPHABET.includes(ch)) continue;
    const upper = ch.toUpperCase();
    if (upper !== ch && USCC_ALPHABET.includes(upper)) {
      return fail(`character ${i + 1} is lower-case ${show(ch)}; use upper-case letters`);
    }
    return fail(`character ${i + 1} is ${show(ch)}, which is not allowed in a unified social credit code`);
  }
  const expected = usccCheckChar(value.slice(0, 17));
  const last = value.charAt(17);
  if (last !== expected) return fail(`check character is ${last}, expected ${expected}`);
  return OK;
}

/** Builds a valid USCC from its parts (1 + 1 + 6 + 9 characters). */
export function makeUscc(
  registrationAuthority: string,
  orgType: string,
  region: string,
  orgCode9: string,
): string {
  const first17 = registrationAuthority + orgType + region + orgCode9;
  if (registrationAuthority.length !== 1 || orgType.length !== 1 || orgCode9.length !== 9) {
    throw new RangeError("USCC parts must be 1 + 1 + 6 + 9 characters");
  }
  if (region.length !== 6 || !allDigits(region)) throw new RangeError(`region must be 6 digits: ${region}`);
  return first17 + usccCheckChar(first17);
}

/** Check character (0-9 or X) of a 9-character organisation code from its first 8 characters. */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new RangeError("expected 8 characters 0-9 or A-Z");
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const code = first8.charCodeAt(i);
    sum += (code <= 57 ? code - 48 : code - 55) * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/** Organisation code for an index in [0, 31^8): 8 base-31 characters of the USCC alphabet + check. */
export function makeOrgCode(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= ORG_CODE_SPACE) {
    throw new RangeError(`organisation code index out of range: ${index}`);
  }
  let body = "";
  let rest = index;
  for (let i = 0; i < 8; i++) {
    body = USCC_ALPHABET.charAt(rest % 31) + body;
    rest = Math.floor(rest / 31);
  }
  return body + orgCodeCheckChar(body);
}

// ---------------------------------------------------------------------------------------------
// Real-estate unit number (28 characters)
// ---------------------------------------------------------------------------------------------

/** The parts of a real-estate unit number; numbers are zero-padded to their widths. */
export interface UnitNumberParts {
  /** 6-digit region code. */
  region: string;
  /** 0..999 */
  cadastralDistrict: number;
  /** 0..999 */
  subDistrict: number;
  /** 2 characters: G, J or Z, then a letter A-Z. */
  parcelCode: string;
  /** 0..99999 */
  parcelSequence: number;
  /** F building, L forest, Q other, W none. */
  fixture: string;
  /** 0..99999999 */
  unit: number;
}

const UNIT_FIELDS: readonly { from: number; to: number; name: string }[] = [
  { from: 0, to: 6, name: "region code" },
  { from: 6, to: 9, name: "cadastral district" },
  { from: 9, to: 12, name: "cadastral sub-district" },
  { from: 14, to: 19, name: "parcel sequence" },
  { from: 20, to: 28, name: "unit number" },
];

const UNIT_FAST = /^[0-9]{12}[GJZ][A-Z][0-9]{5}[FLQW][0-9]{8}$/;

/** Validates a 28-character real-estate unit number part by part. */
export function validateUnitNumber(value: string): Validation {
  if (typeof value !== "string") return fail("unit number must be a string");
  if (UNIT_FAST.test(value)) return OK;
  if (value.length !== 28) return fail(`unit number must be 28 characters, got ${charCount(value)}`);
  for (const f of UNIT_FIELDS) {
    const part = value.slice(f.from, f.to);
    if (!allDigits(part)) return fail(`${f.name} "${part}" must be ${f.to - f.from} digits`);
  }
  const kind = value.charAt(12);
  if (!"GJZ".includes(kind) || kind === "") {
    const hint = "gjz".includes(kind) && kind !== "" ? "; use upper case" : "";
    return fail(`parcel code must start with G, J or Z, got ${show(kind)}${hint}`);
  }
  const type = value.charAt(13);
  if (!(type >= "A" && type <= "Z"))
    return fail(`second parcel code character must be a letter A-Z, got ${show(type)}`);
  const fixture = value.charAt(19);
  if (!"FLQW".includes(fixture) || fixture === "") {
    return fail(`fixture code must be F, L, Q or W, got ${show(fixture)}`);
  }
  return OK;
}

/** Builds a valid unit number; throws when a part does not fit its width. */
export function makeUnitNumber(parts: UnitNumberParts): string {
  const pad = (n: number, width: number): string => {
    if (!Number.isInteger(n) || n < 0 || n >= 10 ** width)
      throw new RangeError(`${n} does not fit ${width} digits`);
    return String(n).padStart(width, "0");
  };
  const value =
    parts.region +
    pad(parts.cadastralDistrict, 3) +
    pad(parts.subDistrict, 3) +
    parts.parcelCode +
    pad(parts.parcelSequence, 5) +
    parts.fixture +
    pad(parts.unit, 8);
  const check = validateUnitNumber(value);
  if (!check.ok) throw new RangeError(check.reason);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Real-estate certificate number, e.g. 苏(2020)南京市不动产权第0001234号
// ---------------------------------------------------------------------------------------------

const HAN = /^\p{Script=Han}$/u;
const CITY = /^\p{Script=Han}*[市县区]$/u;
const CERT_TAIL = "不动产权第";

const CERT_FAST = /^\p{Script=Han}[(（][0-9]{4}[)）]\p{Script=Han}*[市县区]不动产权第[0-9]{7}号$/u;

/** Validates a certificate number; ASCII and full-width brackets are both accepted. */
export function validateCertificateNumber(value: string): Validation {
  if (typeof value !== "string") return fail("certificate number must be a string");
  // The common valid case is settled by one regex; the step-by-step path only explains failures.
  if (CERT_FAST.test(value) && value.slice(2, 6) >= "1900") return OK;
  if (value.length === 0) return fail("certificate number is empty");
  const chars = Array.from(value);
  if (!HAN.test(chars[0] ?? ""))
    return fail("certificate number must start with a one-character province abbreviation");
  if (!"(（".includes(chars[1] ?? "x"))
    return fail("province abbreviation must be followed by the year in brackets");
  const year = chars.slice(2, 6).join("");
  if (!/^[0-9]{4}$/.test(year)) return fail("year must be four ASCII digits");
  if (year < "1900") return fail(`year ${year} is before 1900`);
  if (!")）".includes(chars[6] ?? "x")) return fail("year must be followed by a closing bracket");
  if (chars[chars.length - 1] !== "号") return fail("certificate number must end with 号");
  const rest = chars.slice(7, -1).join("");
  const at = rest.lastIndexOf(CERT_TAIL);
  if (at < 0) return fail("certificate number must contain 不动产权第 before the serial");
  const serial = rest.slice(at + CERT_TAIL.length);
  if (!/^[0-9]{7}$/.test(serial)) return fail("serial must be seven ASCII digits between 不动产权第 and 号");
  const city = rest.slice(0, at);
  if (city.length === 0 || !CITY.test(city)) {
    return fail("city or county must be Chinese characters ending in 市, 县 or 区");
  }
  return OK;
}

/** Trims and converts full-width brackets to ASCII so equal certificates compare equal. */
export function normalizeCertificateNumber(value: string): string {
  return value.trim().replace(/（/g, "(").replace(/）/g, ")");
}

/** Builds a certificate number with ASCII brackets; serial is 0..9999999. */
export function makeCertificateNumber(province: string, year: number, city: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 9_999_999)
    throw new RangeError(`bad serial ${serial}`);
  const value = `${province}(${year})${city}${CERT_TAIL}${String(serial).padStart(7, "0")}号`;
  const check = validateCertificateNumber(value);
  if (!check.ok) throw new RangeError(check.reason);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Periods and dates
// ---------------------------------------------------------------------------------------------

/** Validates a contribution period YYYYMM (year 1900 or later, month 01-12). */
export function validatePeriod(value: string): Validation {
  if (typeof value !== "string" || !/^[0-9]{6}$/.test(value)) return fail("period must be six digits YYYYMM");
  const month = Number(value.slice(4));
  if (month < 1 || month > 12) return fail(`month ${value.slice(4)} of period ${value} is not 01-12`);
  if (value < "190001") return fail(`period ${value} is before 1900`);
  return OK;
}

/** Validates an ISO date YYYY-MM-DD that names a real calendar day. */
export function validateIsoDate(value: string): Validation {
  if (typeof value !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) {
    return fail("date must be written YYYY-MM-DD");
  }
  if (!isRealDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))) {
    return fail(`${value} is not a real calendar date`);
  }
  return OK;
}
