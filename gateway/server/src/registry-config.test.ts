import { describe, expect, it } from "vitest";
import { ConfigError, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { loadRegistryConfig, REGISTRY_DEFAULTS } from "@onecert/schema-registry";
import { loadGatewayConfig } from "./config";

describe("registry configuration", () => {
  it("defaults to the file source and the documented registry settings", () => {
    const config = loadGatewayConfig({});
    expect(config.supergraph).toEqual({ kind: "file", path: SUPERGRAPH_PATH });
    expect(config.registry).toEqual(REGISTRY_DEFAULTS);
    expect(REGISTRY_DEFAULTS).toMatchObject({
      usageWindowDays: 30,
      pollIntervalMs: 3000,
      syncFromFiles: false,
    });
  });

  it("reads SUPERGRAPH_SOURCE=registry and the REGISTRY_* variables", () => {
    const config = loadGatewayConfig({
      SUPERGRAPH_SOURCE: "registry",
      SUPERGRAPH_PATH: "/srv/supergraph.graphql",
      REGISTRY_USAGE_WINDOW_DAYS: "90",
      REGISTRY_POLL_MS: "1000",
      REGISTRY_HEALTH_INTERVAL_MS: "2000",
      USAGE_FLUSH_MS: "500",
      USAGE_RETENTION_DAYS: "120",
      REGISTRY_CHANNEL: "onecert:registry:staging",
      REGISTRY_SYNC_FILES: "true",
    });
    expect(config.supergraph).toEqual({ kind: "registry", path: "/srv/supergraph.graphql" });
    expect(config.registry).toEqual({
      usageWindowDays: 90,
      pollIntervalMs: 1000,
      healthIntervalMs: 2000,
      usageFlushMs: 500,
      usageRetentionDays: 120,
      channel: "onecert:registry:staging",
      syncFromFiles: true,
    });
  });

  it("reports every bad value at once", () => {
    const problems: string[] = [];
    loadRegistryConfig(
      { REGISTRY_USAGE_WINDOW_DAYS: "0", REGISTRY_CHANNEL: "registry", REGISTRY_SYNC_FILES: "maybe" },
      problems,
    );
    expect(problems).toHaveLength(3);
    expect(() => loadGatewayConfig({ SUPERGRAPH_SOURCE: "uplink" })).toThrow(ConfigError);
    // Counts must outlive the window the breaking-change check reads.
    expect(() => loadGatewayConfig({ REGISTRY_USAGE_WINDOW_DAYS: "90", USAGE_RETENTION_DAYS: "60" })).toThrow(
      /USAGE_RETENTION_DAYS \(60\) must be at least REGISTRY_USAGE_WINDOW_DAYS \(90\)/,
    );
  });

  it("reports a bad CRYPTO_SUITE once, though the gateway and its audit trail both sign with it", () => {
    const problems = (() => {
      try {
        loadGatewayConfig({ CRYPTO_SUITE: "sm" });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    })();
    expect(problems.filter((problem) => problem.startsWith("CRYPTO_SUITE"))).toHaveLength(1);
    const national = loadGatewayConfig({ CRYPTO_SUITE: "national" });
    expect([national.cryptoSuite.name, national.audit.suite.name]).toEqual(["national", "national"]);
  });
});
