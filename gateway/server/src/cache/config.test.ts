import { describe, expect, it } from "vitest";
import { loadCacheConfig } from "./config";

describe("cache configuration", () => {
  it("has safe defaults", () => {
    const problems: string[] = [];
    const config = loadCacheConfig({}, problems);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      enabled: true,
      clusterNodes: [],
      keyPrefix: "onecert:cache:",
      maxEntries: 10_000,
      defaultTtls: {},
      debugHeader: false,
      invalidationChannel: "onecert:invalidation",
    });
    expect(loadCacheConfig({ NODE_ENV: "development" }, []).debugHeader).toBe(true);
  });

  it("reads every variable and reports every problem", () => {
    const problems: string[] = [];
    const config = loadCacheConfig(
      {
        CACHE_ENABLED: "false",
        REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b:7001",
        CACHE_DEFAULT_TTLS: "Household=300, Note=5",
        QUERY_PLAN_CACHE_BYTES: "2097152",
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(config.enabled).toBe(false);
    expect(config.clusterNodes).toEqual(["10.0.0.1:7000", "redis-b:7001"]);
    expect(config.defaultTtls).toEqual({ Household: 300, Note: 5 });
    expect(config.queryPlanCacheBytes).toBe(2 * 1024 * 1024);
    loadCacheConfig(
      { CACHE_KEY_PREFIX: "other:", REDIS_CLUSTER_NODES: "nohost", CACHE_MAX_ENTRIES: "0" },
      problems,
    );
    expect(problems).toHaveLength(3);
  });

  it("parses default TTLs", () => {
    const problems: string[] = [];
    expect(loadCacheConfig({ CACHE_DEFAULT_TTLS: "A=1,B = 20" }, problems).defaultTtls).toEqual({
      A: 1,
      B: 20,
    });
    expect(loadCacheConfig({ CACHE_DEFAULT_TTLS: "A, B=x" }, problems).defaultTtls).toEqual({});
    expect(problems).toEqual([
      'CACHE_DEFAULT_TTLS must be Type=seconds, got "A"',
      'CACHE_DEFAULT_TTLS must be Type=seconds, got "B=x"',
    ]);
  });
});
