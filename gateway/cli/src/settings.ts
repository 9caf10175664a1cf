import {
  ConfigError,
  defineSettings,
  env as value,
  setting,
  variablePart,
  withDefault,
  type ValueSchema,
} from "@onecert/subgraph-kit/core";

/** What the command line itself reads (each service's own settings are read by that service). */
export const CLI_SETTINGS = defineSettings("command line", {
  DATABASE_URL: setting(
    value.text(),
    "PostgreSQL for the registries (one schema per registry)",
    "unset: embedded PGlite",
  ),
  PGLITE_DATA_DIR: setting(value.text(), "embedded database directory", "`.data/pglite`"),
  DEV_CREDENTIALS_FILE: setting(
    value.text(),
    "the demo clients' keys that `onecert start` writes",
    "`.data/dev-credentials.json`",
  ),
  SEED_PERSONS: withDefault(
    value.integer(0, 10_000_000),
    10_000,
    "persons seeded into an empty database; `0` never seeds",
  ),
  SEED: withDefault(value.integer(0, 2 ** 31 - 1), 1, "world seed for a registry that seeds itself"),
  WORLD_FILE: setting(
    value.text(),
    "the record of the seeded world that `samples` reads",
    "`.data/world.json`",
  ),
  PORT: setting(
    value.integer(0, 65535),
    "listening port; `0` picks a free one",
    "`4000` (gateway), 4001-4004 (registries)",
  ),
  HOST: setting(value.text(), "interface to bind", "`127.0.0.1`"),
  REDIS_URL: setting(
    value.text(),
    "Redis for invalidation events between processes",
    "unset: in-process fallbacks",
  ),
  INVALIDATION_CHANNEL: setting(
    value.text(),
    "stream of the registries' invalidation events",
    "`onecert:invalidation`",
  ),
  // Read where the kit's paths are first loaded (paths.ts), declared here to be documented with the rest.
  ONECERT_DATA_DIR: setting(
    value.text(),
    "where embedded databases, the world file, demo credentials and audit files live by default",
    "`.data` in the repository",
  ),
  LOG_LEVEL: withDefault(
    value.oneOf(["trace", "debug", "info", "warn", "error", "fatal", "silent"]),
    "info",
    "pino level",
  ),
});

/** The command line's settings from `env`; every bad value is reported at once. */
export function cliSettings(env: Env = process.env) {
  const problems: string[] = [];
  const read = CLI_SETTINGS.read(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return read;
}

type Env = Record<string, string | undefined>;

/** A per-registry variable: <NAME>_PORT, <NAME>_DATABASE_URL (legal-entity → LEGAL_ENTITY_PORT). */
export const registryVariable = (registry: string, suffix: "PORT" | "DATABASE_URL"): string =>
  `${variablePart(registry)}_${suffix}`;

function readOne<T>(name: string, schema: ValueSchema<T>, env: Env): T | undefined {
  const problems: string[] = [];
  const read = defineSettings(name, { [name]: setting(schema, name) }).read(env, problems)[name];
  if (problems.length > 0) throw new ConfigError(problems);
  return read;
}

/** A registry's port under `onecert start` (<NAME>_PORT), when set. */
export const registryPort = (registry: string, env: Env = process.env): number | undefined =>
  readOne(registryVariable(registry, "PORT"), value.integer(0, 65535), env);

/** A registry's own database under `serve <name>` (<NAME>_DATABASE_URL), when set. */
export const registryDatabaseUrl = (registry: string, env: Env = process.env): string | undefined =>
  readOne(registryVariable(registry, "DATABASE_URL"), value.text(), env);
