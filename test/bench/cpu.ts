import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

// CPU readings for benchmarks: CPU consumed is not inflated by other processes on a shared
// machine the way throughput is, so scenarios print it beside req/s.

/** utime + stime of a /proc stat line, ms (clock ticks of 10 ms). */
function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU time of this process's main thread, ms: from /proc on Linux, else its event-loop busy time. */
export function mainThreadCpuMs(): number {
  try {
    return statCpuMs(readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8"));
  } catch {
    return performance.eventLoopUtilization().active;
  }
}

/**
 * CPU time of every local PostgreSQL server process, ms (0 off Linux or for a remote server):
 * what statements cost the database shows here, not in this process.
 */
export function postgresCpuMs(): number {
  let total = 0;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.includes(" (postgres) ")) total += statCpuMs(stat);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}
