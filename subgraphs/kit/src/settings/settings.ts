import type { ValueSchema } from "./values";

/** The process environment, or a test's stand-in for it. */
export type Env = Record<string, string | undefined>;

/**
 * One environment variable: the schema of its value, what it means, and the value it takes when
 * unset or empty. `shown` is how the documentation states a default the code derives (from
 * NODE_ENV, from another variable, from the data directory), where `fallback` is undefined.
 */
export interface Setting<V> {
  readonly schema: ValueSchema<unknown>;
  readonly fallback: V;
  readonly meaning: string;
  readonly shown?: string;
}

/** A variable without a fixed default: undefined when unset, and the caller decides. */
export function setting<T>(schema: ValueSchema<T>, meaning: string, shown?: string): Setting<T | undefined>;
/** A variable with a fixed default. */
export function setting<T>(
  schema: ValueSchema<T>,
  meaning: string,
  shown: undefined,
  fallback: T,
): Setting<T>;
export function setting<T>(
  schema: ValueSchema<T>,
  meaning: string,
  shown?: string,
  fallback?: T,
): Setting<T | undefined> {
  return { schema, meaning, shown, fallback };
}

/** A variable with a fixed default (the common case). */
export const withDefault = <T>(schema: ValueSchema<T>, fallback: T, meaning: string): Setting<T> =>
  setting(schema, meaning, undefined, fallback);

export type SettingsShape = Record<string, Setting<unknown>>;
export type SettingsValues<S extends SettingsShape> = { [K in keyof S]: S[K]["fallback"] };

/** A named group of variables (one service's, or one feature's), readable and documented as one. */
export interface SettingsGroup<S extends SettingsShape> {
  readonly name: string;
  readonly shape: S;
  /**
   * The group's values from `env`. A bad value pushes "<VARIABLE> <why>" onto `problems` (so a
   * start reports every problem at once, across groups) and yields the fallback.
   */
  read(env: Env, problems: string[]): SettingsValues<S>;
}

export function defineSettings<S extends SettingsShape>(name: string, shape: S): SettingsGroup<S> {
  return {
    name,
    shape,
    read(env, problems) {
      const values: Record<string, unknown> = {};
      for (const [variable, spec] of Object.entries(shape)) {
        const raw = env[variable];
        if (raw === undefined || raw === "") {
          values[variable] = spec.fallback;
          continue;
        }
        const parsed = spec.schema.safeParse(raw);
        if (parsed.success) values[variable] = parsed.data;
        else {
          for (const issue of parsed.error.issues) problems.push(`${variable} ${issue.message}`);
          values[variable] = spec.fallback;
        }
      }
      return values as SettingsValues<S>;
    },
  };
}

/** A name as it appears in an environment variable: legal-entity → LEGAL_ENTITY. */
export const variablePart = (name: string): string => name.toUpperCase().replace(/-/g, "_");

/** How the documentation states a variable's default. */
export function shownDefault(spec: Setting<unknown>): string | undefined {
  if (spec.shown !== undefined) return spec.shown;
  if (spec.fallback === undefined) return undefined;
  const fallback = spec.fallback;
  if (typeof fallback === "boolean") return fallback ? "true" : "false";
  if (typeof fallback === "number" || typeof fallback === "string") return String(fallback);
  if (Array.isArray(fallback)) return fallback.length === 0 ? "unset" : fallback.join(",");
  return Object.keys(fallback as object).length === 0 ? "unset" : JSON.stringify(fallback);
}

/** Settings that cannot start a service; lists every problem found, so one start reports them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
