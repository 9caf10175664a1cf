/** The process environment, or a test's stand-in for it. */
export type Env = Record<string, string | undefined>;

/**
 * Readers of typed settings from `env`. A bad value pushes a message naming the variable onto
 * `problems` (so a start reports every problem at once) and yields the fallback.
 */
export function envReader(env: Env, problems: string[]) {
  return {
    /** An integer in [min, max]; unset or empty gives `fallback`. */
    int: (name: string, fallback: number, min: number, max: number): number => {
      const raw = env[name];
      if (raw === undefined || raw === "") return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
        return fallback;
      }
      return value;
    },
    /** true/false, yes/no, on/off or 1/0; unset or empty gives `fallback`. */
    bool: (name: string, fallback: boolean): boolean => {
      const raw = env[name];
      if (raw === undefined || raw === "") return fallback;
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      problems.push(`${name} must be true or false, got "${raw}"`);
      return fallback;
    },
  };
}

/** Settings that cannot start a service; lists every problem found, so one start reports them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
