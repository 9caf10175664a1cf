import { defineSettings, env as value, setting, withDefault, type Env } from "@onecert/subgraph-kit";
/** The Redis channel versions are announced on unless configured otherwise. */
export const DEFAULT_REGISTRY_CHANNEL = "onecert:registry:versions";

/** Settings of the department registry, the registry supergraph source and field usage. */
export interface RegistryConfig {
  /** A changed field used within this many days makes a change breaking. Env REGISTRY_USAGE_WINDOW_DAYS, default 30. */
  usageWindowDays: number;
  /** Replicas look for a new version this often, the fallback to notifications. Env REGISTRY_POLL_MS, default 3000. */
  pollIntervalMs: number;
  /** Every subgraph is probed this often. Env REGISTRY_HEALTH_INTERVAL_MS, default 10000. */
  healthIntervalMs: number;
  /** Field usage counts are written this often. Env USAGE_FLUSH_MS, default 5000. */
  usageFlushMs: number;
  /** Days of field usage counts kept (at least the usage window). Env USAGE_RETENTION_DAYS, default 400. */
  usageRetentionDays: number;
  /** Redis channel new versions are announced on (with REDIS_URL). Env REGISTRY_CHANNEL, default onecert:registry:versions. */
  channel: string;
  /** Publish changes of schema/ to subgraphs no department took over. Env REGISTRY_SYNC_FILES, default false (`onecert start`: true). */
  syncFromFiles: boolean;
}

/** The defaults, for callers that build a configuration in code (tests). */
export const REGISTRY_DEFAULTS: RegistryConfig = {
  usageWindowDays: 30,
  pollIntervalMs: 3000,
  healthIntervalMs: 10_000,
  usageFlushMs: 5000,
  usageRetentionDays: 400,
  channel: DEFAULT_REGISTRY_CHANNEL,
  syncFromFiles: false,
};

export const REGISTRY_SETTINGS = defineSettings("registry", {
  REGISTRY_USAGE_WINDOW_DAYS: withDefault(
    value.integer(1, 3650),
    REGISTRY_DEFAULTS.usageWindowDays,
    "a change to a field used within this many days is breaking",
  ),
  USAGE_RETENTION_DAYS: withDefault(
    value.integer(1, 36_500),
    REGISTRY_DEFAULTS.usageRetentionDays,
    "days of per-field usage counts kept",
  ),
  REGISTRY_POLL_MS: withDefault(
    value.integer(100, 60_000),
    REGISTRY_DEFAULTS.pollIntervalMs,
    "how often a replica looks for a new version",
  ),
  REGISTRY_HEALTH_INTERVAL_MS: withDefault(
    value.integer(100, 3_600_000),
    REGISTRY_DEFAULTS.healthIntervalMs,
    "how often every subgraph is probed",
  ),
  USAGE_FLUSH_MS: withDefault(
    value.integer(100, 600_000),
    REGISTRY_DEFAULTS.usageFlushMs,
    "how often the per-field usage counts are written",
  ),
  REGISTRY_CHANNEL: withDefault(
    value.matching(/^onecert:/, 'a channel starting with "onecert:"'),
    DEFAULT_REGISTRY_CHANNEL,
    "Redis channel of new versions",
  ),
  REGISTRY_SYNC_FILES: setting(
    value.flag(),
    "publish changes of `schema/` to the subgraphs no department took over",
    "`false` (`true` under `onecert start`)",
  ),
});

/** Reads the registry settings from the environment, adding every problem to `problems`. */
export function loadRegistryConfig(env: Env, problems: string[]): RegistryConfig {
  const read = REGISTRY_SETTINGS.read(env, problems);
  if (read.USAGE_RETENTION_DAYS < read.REGISTRY_USAGE_WINDOW_DAYS)
    problems.push(
      `USAGE_RETENTION_DAYS (${read.USAGE_RETENTION_DAYS}) must be at least REGISTRY_USAGE_WINDOW_DAYS (${read.REGISTRY_USAGE_WINDOW_DAYS})`,
    );
  return {
    usageWindowDays: read.REGISTRY_USAGE_WINDOW_DAYS,
    usageRetentionDays: read.USAGE_RETENTION_DAYS,
    pollIntervalMs: read.REGISTRY_POLL_MS,
    healthIntervalMs: read.REGISTRY_HEALTH_INTERVAL_MS,
    usageFlushMs: read.USAGE_FLUSH_MS,
    channel: read.REGISTRY_CHANNEL,
    syncFromFiles: read.REGISTRY_SYNC_FILES ?? false,
  };
}
