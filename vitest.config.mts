import { defineConfig } from "vitest/config";

// One graphql realm for gateway and subgraphs, or schemas built in one are rejected by the other.
const alias = [{ find: /^graphql(\/.*)?$/, replacement: "graphql$1/index.js" }];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["subgraphs/*/src/**/*.test.ts", "gateway/src/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // After the fast tier; each file starts a whole system, two at once fit two cores.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
