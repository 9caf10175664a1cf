// The audit writer's thread when the gateway runs from its TypeScript sources (tests, `npm run
// dev`): loads worker.ts through tsx. Compiled, writer.ts starts dist/write/worker.js instead.
require("tsx/cjs");
require("./worker.ts");
