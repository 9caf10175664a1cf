import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

// `npm run bench:cli`: how long the onecert command takes to answer, as a user runs it (plain
// Node on the compiled output). Wall time and CPU (user + system) per call, medians of RUNS calls,
// read from /usr/bin/time so the child's own CPU is counted.

const BIN = resolve(__dirname, "../../gateway/cli/bin/onecert.cjs");
const RUNS = Number(process.env.BENCH_RUNS || 15);
const COMMANDS: string[][] = [["--help"], ["samples", "--json"], ["samples", "--case", "person-showcase"]];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function once(args: string[]): { wall: number; cpu: number } {
  const run = spawnSync("/usr/bin/time", ["-f", "%e %U %S", process.execPath, BIN, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`onecert ${args.join(" ")} failed: ${run.stderr}`);
  const [wall, user, system] = run.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { wall: wall, cpu: user + system };
}

const rows = COMMANDS.map((args) => {
  const runs = Array.from({ length: RUNS }, () => once(args));
  return {
    command: `onecert ${args.join(" ")}`,
    wall: median(runs.map((run) => run.wall)),
    cpu: median(runs.map((run) => run.cpu)),
  };
});
process.stdout.write(`| command | wall s (median of ${RUNS}) | CPU s |\n| --- | ---: | ---: |\n`);
for (const row of rows)
  process.stdout.write(`| \`${row.command}\` | ${row.wall.toFixed(2)} | ${row.cpu.toFixed(2)} |\n`);
