/** Collects the problems of one file found after its shape is checked, each prefixed with the file. */
export class FileProblems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}

  add(reason: string): void {
    this.list.push(`${this.file}: ${reason}`);
  }
}

/** Identifiers of certificate types, roles and parameters. */
export const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const PARAMETER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** "30d" or "12h" in milliseconds; null when malformed. */
export function parseValidity(value: unknown): number | null {
  const match = typeof value === "string" ? /^(\d{1,4})([dh])$/.exec(value) : null;
  if (!match) return null;
  const amount = Number(match[1]);
  if (amount <= 0) return null;
  return amount * (match[2] === "d" ? 86_400_000 : 3_600_000);
}
