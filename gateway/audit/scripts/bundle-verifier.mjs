// Bundles the standalone audit verifier into one file with no dependencies but Node.js itself.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [join(root, "src/standalone.ts")],
  outfile: join(root, "dist/onecert-audit-verify.cjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
