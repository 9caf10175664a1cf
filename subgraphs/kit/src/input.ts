import { badUserInput } from "./errors";

/** Today as YYYY-MM-DD in local time, like the ID-number check; the clock is injectable. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Throws BAD_USER_INPUT naming `argument` unless `date` (YYYY-MM-DD) is today or earlier. */
export function checkNotFuture(date: string, argument: string, now: Date = new Date()): void {
  const today = todayIso(now);
  if (date > today) throw badUserInput(`${argument} ${date} is in the future (today is ${today})`, argument);
}

/** The trimmed text; BAD_USER_INPUT naming `argument` when it is empty or over `max` characters. */
export function checkText(value: string, argument: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw badUserInput(`${argument} must not be empty`, argument);
  const length = Array.from(text).length;
  if (length > max) throw badUserInput(`${argument} has ${length} characters; at most ${max}`, argument);
  return text;
}
