import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import type { Stack } from "@onecert/cli";
import { urlVariable } from "@onecert/gateway";

const ROOT = resolve(__dirname, "../..");

/** A gateway started as its own process with `onecert serve gateway`. */
export interface GatewayProcess {
  url: string;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** What the process printed, for failure messages. */
  output(): string;
}

const freePort = () =>
  new Promise<number>((done, fail) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.once("error", fail);
  });

/**
 * The environment of a child gateway: the stack's subgraphs, no Redis, quiet logs, no rate
 * limit in the way of a load test, and the given settings (database, audit) on top.
 */
export function childEnv(stack: Stack, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(VITEST|DATABASE_URL|REDIS_URL|GATEWAY_|AUDIT_|SUBGRAPH_URL_)/.test(name))
      env[name] = value;
  }
  const services = [...stack.registries, stack.certificates].filter(Boolean) as {
    name: string;
    url: string;
  }[];
  for (const service of services) env[urlVariable(service.name)] = service.url;
  return { ...env, LOG_LEVEL: "warn", HOST: "127.0.0.1", RATE_LIMIT_PER_MINUTE: "10000000", ...extra };
}

/** Spawns a gateway and resolves once it answers /health. */
export async function spawnGateway(env: Record<string, string>, timeoutMs = 90_000): Promise<GatewayProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["gateway/cli/bin/onecert.cjs", "serve", "gateway"], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      exitCode = code;
      done(code);
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`gateway exited (${exitCode}) before it listened:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`gateway did not listen within ${timeoutMs} ms:\n${output}`);
    }
    const up = await fetch(`${base}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    url: `${base}/graphql`,
    pid: child.pid!,
    exited,
    kill: (signal) => void child.kill(signal),
    output: () => output,
  };
}

export interface LoadReport {
  /** Request ids whose complete response arrived, by HTTP status. */
  answered: Map<string, number>;
  /** Requests that got no complete response (connection refused or cut). */
  unanswered: number;
}

/**
 * Sends POSTs to `targets` (round robin per worker) from `concurrency` workers over keep-alive
 * connections, each with a fresh x-request-id, until `total` were sent or `stop()` says so.
 */
export async function drive(options: {
  targets: string[];
  concurrency: number;
  total: number;
  /** Request bodies, used in turn. */
  bodies: unknown[];
  headers: Record<string, string>;
  prefix: string;
  stop?: (report: LoadReport) => boolean;
}): Promise<LoadReport> {
  const report: LoadReport = { answered: new Map(), unanswered: 0 };
  const payloads = options.bodies.map((body) => JSON.stringify(body));
  let next = 0;
  const worker = async (index: number) => {
    const target = options.targets[index % options.targets.length];
    while (next < options.total && !options.stop?.(report)) {
      const n = next++;
      const id = `${options.prefix}-${n}`;
      try {
        const response = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers, "x-request-id": id },
          body: payloads[n % payloads.length],
        });
        await response.arrayBuffer();
        report.answered.set(id, response.status);
      } catch {
        report.unanswered += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  return report;
}
