// The composition thread when the gateway runs from its TypeScript sources (tests, `npm run
// dev`): loads worker.ts through tsx. Compiled, the thread runs dist/compose/worker.js instead.
require("tsx/cjs");
require("./worker.ts");
