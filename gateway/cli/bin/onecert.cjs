#!/usr/bin/env node
// The onecert command: plain Node on the compiled output (`npm run build`, run by `npm install`).
// Development from the TypeScript sources goes through `npm run dev -- <command>` instead.
const path = require("node:path");
const fs = require("node:fs");

const main = path.resolve(__dirname, "../dist/commands/main.js");
if (!fs.existsSync(main)) {
  console.error("onecert is not built: run `npm run build` (npm install does it) in the repository root.");
  process.exit(1);
}
require(main)
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === "number") process.exitCode = code;
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
