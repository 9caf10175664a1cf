const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses "YYYY-MM-DD" (midnight UTC, or the following midnight with `endOfDay` so that a date
 * given as an end is inclusive) or an ISO 8601 date-time with "Z" or an offset; null if invalid.
 */
export function parseIsoDate(text: string, endOfDay = false): Date | null {
  const match = ISO.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (match[4] === undefined) return endOfDay ? new Date(calendar.getTime() + 86_400_000) : calendar;
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
