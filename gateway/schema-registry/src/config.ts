import { envReader } from "@onecert/subgraph-kit";
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

type Env = Record<string, string | undefined>;

/** Reads the registry settings from the environment, adding every problem to `problems`. */
export function loadRegistryConfig(env: Env, problems: string[]): RegistryConfig {
  const { int } = envReader(env, problems);
  const channel = env.REGISTRY_CHANNEL || REGISTRY_DEFAULTS.channel;
  if (!channel.startsWith("onecert:"))
    problems.push(`REGISTRY_CHANNEL must start with "onecert:", got "${channel}"`);
  const sync = env.REGISTRY_SYNC_FILES ?? "";
  if (sync !== "" && !/^(1|true|yes|on|0|false|no|off)$/i.test(sync)) {
    problems.push(`REGISTRY_SYNC_FILES must be true or false, got "${sync}"`);
  }
  const usageWindowDays = int("REGISTRY_USAGE_WINDOW_DAYS", REGISTRY_DEFAULTS.usageWindowDays, 1, 3650);
  const usageRetentionDays = int("USAGE_RETENTION_DAYS", REGISTRY_DEFAULTS.usageRetentionDays, 1, 36_500);
  if (usageRetentionDays < usageWindowDays)
    problems.push(
      `USAGE_RETENTION_DAYS (${usageRetentionDays}) must be at least REGISTRY_USAGE_WINDOW_DAYS (${usageWindowDays})`,
    );
  return {
    usageWindowDays,
    usageRetentionDays,
    pollIntervalMs: int("REGISTRY_POLL_MS", REGISTRY_DEFAULTS.pollIntervalMs, 100, 60_000),
    healthIntervalMs: int("REGISTRY_HEALTH_INTERVAL_MS", REGISTRY_DEFAULTS.healthIntervalMs, 100, 3_600_000),
    usageFlushMs: int("USAGE_FLUSH_MS", REGISTRY_DEFAULTS.usageFlushMs, 100, 600_000),
    channel,
    syncFromFiles: /^(1|true|yes|on)$/i.test(sync),
  };
}
