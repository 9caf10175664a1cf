import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Structured JSON logs. Level from LOG_LEVEL; default "info", "silent" under the test runner. */
export function createLogger(name: string, level?: string): Logger {
  const fallback = process.env.VITEST ? "silent" : "info";
  return pino({ name, level: level ?? process.env.LOG_LEVEL ?? fallback });
}
