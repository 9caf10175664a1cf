import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The console is served by the gateway below /console, from this package's dist/. Every asset is
 * bundled (no CDN, no web fonts); hashed file names let the gateway cache them for a year.
 */
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The first screen is budgeted by scripts/budget.mjs; the big editors are chunks of their own.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    target: "es2022",
    rolldownOptions: {
      // GraphiQL's packages mark modules "use no memo" for the React compiler, which this build
      // does not run: the directive means nothing here, and the warning is noise.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
