import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// One graphql realm for gateway and subgraphs, or schemas built in one are rejected by the other.
const alias = [{ find: /^graphql(\/.*)?$/, replacement: "graphql$1/index.js" }];
// Tests run the TypeScript sources of the workspace packages (their "source" export), not dist/.
const conditions = ["source", "node", "require", "default"];
const resolve = { alias, conditions };
const ssr = { resolve: { conditions, externalConditions: conditions } };

const PACKAGE_TESTS = ["subgraphs/*/src/**/*.test.ts", "gateway/*/src/**/*.test.ts"];
const INTEGRATION_TESTS = [
  "subgraphs/*/src/**/*.integration.test.ts",
  "gateway/*/src/**/*.integration.test.ts",
];

/**
 * Three tiers, run in this order by `npm test`:
 * - unit: no network and no services (the embedded database; DATABASE_URL switches it to PostgreSQL);
 * - integration: needs Redis and/or PostgreSQL (or the redis-server binary), and skips, saying so
 *   in the run's summary, what cannot run without them;
 * - e2e: whole systems on port 0 over real HTTP; the files that need a service skip the same way.
 */
const tier = (config: TestProjectInlineConfiguration["test"]): TestProjectInlineConfiguration => ({
  resolve,
  ssr,
  // In-process stacks run the embedded database on the test's event loop: its pauses are not
  // overload, so load shedding is off (its own test turns it on).
  test: { testTimeout: 60_000, hookTimeout: 180_000, env: { MAX_EVENT_LOOP_DELAY_MS: "0" }, ...config },
});

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      tier({ name: "unit", include: PACKAGE_TESTS, exclude: INTEGRATION_TESTS, sequence: { groupOrder: 0 } }),
      tier({
        name: "integration",
        include: INTEGRATION_TESTS,
        globalSetup: ["test/support/services-setup.ts"],
        sequence: { groupOrder: 1 },
      }),
      tier({
        name: "e2e",
        include: ["test/e2e/**/*.test.ts"],
        globalSetup: ["test/support/services-setup.ts"],
        testTimeout: 120_000,
        // Each file starts a whole system: two at once fit two cores.
        maxWorkers: 2,
        sequence: { groupOrder: 2 },
      }),
    ],
  },
});
