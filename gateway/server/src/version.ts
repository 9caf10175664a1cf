import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The gateway package's version (the OpenAPI document's), read once from its package.json. */
export const GATEWAY_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;
