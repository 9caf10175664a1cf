// The audit writer's thread: loads its TypeScript through tsx, as gateway/bin/onecert.cjs does.
require("tsx/cjs");
require("./worker.ts");
