#!/usr/bin/env node
// Runs the TypeScript sources directly; the decorators of the registries need the project's tsconfig.
const path = require("node:path");
process.env.TSX_TSCONFIG_PATH ??= path.resolve(__dirname, "../../tsconfig.json");
require("tsx/cjs");
require("../src/cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === "number") process.exitCode = code;
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
