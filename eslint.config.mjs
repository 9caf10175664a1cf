import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import { readFileSync } from "node:fs";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;
const { workspaces } = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));

// Production code: everything under a package's src/ but its tests and test helpers.
const TESTS = ["**/*.test.ts", "**/testing.ts", "**/testing/**", "test/**"];

/** Worker-thread entry points for running from the TypeScript sources: they load tsx. */
const THREAD_SHIMS = [
  "gateway/audit/src/write/worker.cjs",
  "gateway/schema-registry/src/compose/worker.cjs",
  "gateway/catalogue/src/fit-worker.cjs",
];

export default tseslint.config(
  { ignores: ["node_modules/**", "**/dist/**", ".data/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { console: "readonly", process: "readonly" },
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { "import-x": importX },
    settings: {
      // How the plugin parses the modules it follows (a cycle is only found in files it can read).
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: "tsconfig.json",
          conditionNames: ["source", "types", "node", "require", "default"],
        }),
      ],
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      // An async function without await is how an interface's promise-returning method is written
      // here: a throw becomes a rejection, as callers expect.
      "@typescript-eslint/require-await": "off",
      "no-console": "off",
      // The layering: no import circles, no reaching into another package by a relative path, and
      // a package imports only what its package.json declares (its entry points, see `exports`).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-relative-packages": "error",
      "import-x/no-extraneous-dependencies": ["error", { includeTypes: true }],
      "import-x/no-self-import": "error",
      "import-x/no-duplicates": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@onecert/*/src/**", "@onecert/*/dist/**"],
              message: "import the package's entry point",
            },
          ],
        },
      ],
    },
  },
  {
    // Production code never imports test helpers.
    files: ["subgraphs/*/src/**/*.ts", "gateway/*/src/**/*.ts"],
    ignores: TESTS,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@onecert/*/src/**", "@onecert/*/dist/**"],
              message: "import the package's entry point",
            },
            {
              group: ["@onecert/*/testing", "**/testing", "**/testing/**"],
              message: "production code never imports test helpers",
            },
          ],
        },
      ],
    },
  },
  {
    // expect.any(), expect.stringMatching() are typed any, and expect(object.method) is not a call.
    files: TESTS,
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  // Tests and their helpers may also use the repository's development tools (vitest, tsx), and
  // so may the shims that start a worker thread from the TypeScript sources.
  ...[...workspaces, ...THREAD_SHIMS].map((dir) => ({
    files: dir.endsWith(".cjs")
      ? [dir]
      : dir === "test"
        ? ["test/**"]
        : TESTS.map((glob) => `${dir}/${glob}`),
    rules: {
      "import-x/no-extraneous-dependencies": [
        "error",
        {
          includeTypes: true,
          packageDir: [root, `${root}/${dir.endsWith(".cjs") ? dir.split("/src/")[0] : dir}`],
        },
      ],
    },
  })),
  {
    files: ["**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", __dirname: "readonly", __filename: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
