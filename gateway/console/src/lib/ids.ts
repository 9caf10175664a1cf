/**
 * The identifier checks of subgraphs/kit (ids.ts), mirrored for the browser so the clerk sees a
 * mistyped ID number or credit code while typing, before anything is sent. The gateway checks
 * again (the IdNumber and USCC scalars); ids.test.ts keeps both in step. Problems are codes with
 * parameters, so the page words them in the chosen language.
 */

export type IdProblem =
  | { code: "empty" }
  | { code: "length"; length: number }
  | { code: "character"; position: number }
  | { code: "lowerX" }
  | { code: "birthDate"; date: string }
  | { code: "future"; date: string }
  | { code: "checkChar"; given: string; expected: string };

export type IdCheck = { ok: true } | { ok: false; problem: IdProblem };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";
/** As the kit: GB 11643's own example is born in 1880. */
const MIN_BIRTH = "18000101";

export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const ok: IdCheck = { ok: true };
const no = (problem: IdProblem): IdCheck => ({ ok: false, problem });
const compact = (now: Date) =>
  `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, "0")}${String(now.getDate()).padStart(2, "0")}`;

function realDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** GB 11643-1999: the check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/** An 18-character resident ID number: digits, a real birth date not in the future, the check character. */
export function checkIdNumber(value: string, now: Date = new Date()): IdCheck {
  if (value === "") return no({ code: "empty" });
  if (value.length !== 18) return no({ code: "length", length: [...value].length });
  for (let i = 0; i < 17; i++)
    if (!/[0-9]/.test(value.charAt(i))) return no({ code: "character", position: i + 1 });
  const last = value.charAt(17);
  if (last === "x") return no({ code: "lowerX" });
  if (!/[0-9X]/.test(last)) return no({ code: "character", position: 18 });
  const birth = value.slice(6, 14);
  if (!realDate(birth) || birth < MIN_BIRTH) return no({ code: "birthDate", date: birth });
  if (birth > compact(now)) return no({ code: "future", date: birth });
  const expected = idCheckChar(value.slice(0, 17));
  return last === expected ? ok : no({ code: "checkChar", given: last, expected });
}

/** GB 32100-2015: the check character of the first 17 characters (all in the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i];
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** An 18-character unified social credit code: its alphabet (no I, O, S, V, Z) and check character. */
export function checkUscc(value: string): IdCheck {
  if (value === "") return no({ code: "empty" });
  if (value.length !== 18) return no({ code: "length", length: [...value].length });
  for (let i = 0; i < 18; i++)
    if (!USCC_ALPHABET.includes(value.charAt(i))) return no({ code: "character", position: i + 1 });
  const expected = usccCheckChar(value.slice(0, 17));
  const given = value.charAt(17);
  return given === expected ? ok : no({ code: "checkChar", given, expected });
}

/** What a clerk types, as the registries key it: no spaces, upper case (a lower-case x stays, to be named). */
export const normaliseId = (value: string, kind: "PERSON" | "ENTERPRISE"): string => {
  const bare = value.replace(/\s+/g, "");
  return kind === "ENTERPRISE" ? bare.toUpperCase() : bare;
};
