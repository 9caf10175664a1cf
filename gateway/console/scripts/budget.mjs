#!/usr/bin/env node
// The first screen's budget: the JavaScript index.html loads before anything is clicked (its
// module script and the chunks it preloads), gzipped, must stay under BUDGET_BYTES. Pages, ECharts
// and GraphiQL are chunks loaded when opened, so they are not counted. Exit 1 when over, 2 when
// the console is not built. `--json` prints the measurement for tests.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 500 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const index = join(dist, "index.html");
if (!existsSync(index)) {
  console.error(`console:budget: ${index} is missing; run npm run build first`);
  process.exit(2);
}
const html = readFileSync(index, "utf8");
const assets = [
  ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g),
].map((match) => match[1].replace(/^\/console\//, ""));
const files = assets.map((asset) => {
  const bytes = readFileSync(join(dist, asset));
  return { file: asset, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const gzip = files.reduce((sum, file) => sum + file.gzip, 0);
const result = { budget: BUDGET_BYTES, gzip, files, ok: gzip <= BUDGET_BYTES };
if (process.argv.includes("--json")) console.log(JSON.stringify(result));
else {
  for (const file of files)
    console.log(
      `${file.file}: ${(file.bytes / 1024).toFixed(1)} kB, ${(file.gzip / 1024).toFixed(1)} kB gzip`,
    );
  console.log(
    `first screen: ${(gzip / 1024).toFixed(1)} kB gzip of ${BUDGET_BYTES / 1024} kB ${result.ok ? "(within budget)" : "(OVER BUDGET)"}`,
  );
}
process.exit(result.ok ? 0 : 1);
