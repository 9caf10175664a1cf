import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { resolve } from "node:path";

// Services of the deployed benchmark, each in its own OS process: started on port 0, the port it
// chose read back from /proc (the listening socket among its file descriptors), and its CPU time
// read from /proc/<pid>/stat (utime + stime of all its threads).

export const ROOT = resolve(__dirname, "../../..");
/** The onecert command as deployed: plain Node on the compiled output. */
export const ONECERT = resolve(ROOT, "gateway/cli/bin/onecert.cjs");

/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK, normally 100). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of process `pid`, ms. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** The TCP ports process `pid` listens on: its socket inodes matched in /proc/<pid>/net/tcp{,6}. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed between listing and reading.
    }
  }
  const ports: number[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let lines: string[] = [];
    try {
      lines = readFileSync(`/proc/${pid}/net/${table}`, "utf8").trim().split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the inode.
      if (fields[3] === "0A" && inodes.has(fields[9])) ports.push(parseInt(fields[1].split(":")[1], 16));
    }
  }
  return ports;
}

export interface Service {
  name: string;
  pid: number;
  /** http://127.0.0.1:<port>, the port the process chose. */
  base: string;
  /** `${base}/graphql`. */
  url: string;
  cpuMs(): number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` with `env` (PORT=0 on top), resolves once it listens and answers HTTP
 * (OneCert's services on /health; a plain Apollo server has none and answers it 400), with the
 * port it listens on. Fails with its output when it exits or takes too long.
 */
export async function spawnService(
  name: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<Service> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString("utf8")).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const pid = child.pid!;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${name} exited (${child.exitCode ?? child.signalCode}) before it listened:\n${output}`,
      );
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not listen within ${timeoutMs} ms:\n${output}`);
    }
    const [port] = (() => {
      try {
        return listeningPorts(pid);
      } catch {
        return [];
      }
    })();
    const base = `http://127.0.0.1:${port}`;
    if (
      port &&
      (await fetch(`${base}/health`).then(
        () => true,
        () => false,
      ))
    ) {
      return {
        name,
        pid,
        base,
        url: `${base}/graphql`,
        cpuMs: () => processCpuMs(pid),
        output: () => output,
        stop,
      };
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** A TCP relay on port 0 whose target is set later: an address for a service not started yet. */
export async function lateRelay(): Promise<{
  port: number;
  target(port: number): void;
  close(): Promise<void>;
}> {
  let targetPort = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    port: (server.address() as { port: number }).port,
    target: (port) => void (targetPort = port),
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
