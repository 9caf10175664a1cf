// The catalogue check's thread when the gateway runs from its TypeScript sources (tests, `npm
// run dev`): loads fit-worker.ts through tsx. Compiled, fit-thread.ts starts fit-worker.js.
require("tsx/cjs");
require("./fit-worker.ts");
