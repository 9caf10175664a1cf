import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { runLoad } from "../load";

// The load generator of the deployed benchmark, in a process of its own
// (`node --import tsx load-child.ts`): one JSON command a line on stdin, one JSON LoadResult a
// line on stdout. Request bodies come from a file (a JSON array of strings), read once.

/** What the runner sends for one run. */
export interface LoadCommand {
  name: string;
  url: string;
  bodiesFile: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
}

const bodies = new Map<string, string[]>();

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(() => run(JSON.parse(line) as LoadCommand));
});
lines.on("close", () => void queue.then(() => process.exit(0)));

async function run(command: LoadCommand): Promise<void> {
  try {
    if (!bodies.has(command.bodiesFile))
      bodies.set(command.bodiesFile, JSON.parse(readFileSync(command.bodiesFile, "utf8")) as string[]);
    const result = await runLoad(command.name, command.url, {
      bodies: bodies.get(command.bodiesFile)!,
      headers: command.headers,
      seconds: command.seconds,
      connections: command.connections,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  }
}
