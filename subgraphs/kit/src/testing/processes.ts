import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import { ROOT } from "../paths";
import { eventually } from "./events";

// Test support: ports and child processes (a private redis-server) for tests that need a real peer.

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A child process of this test and a way to end it (by its own pid, never by name). */
export interface Child {
  process: ChildProcess;
  /** The end of what it wrote (stdout and stderr), for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startChild(command: string, args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A private redis-server on `port` without persistence: a restart starts it empty, as after a crash. */
export async function startRedis(port: number): Promise<Child> {
  const redis = startChild(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {},
  );
  await eventually(() => ping(port), `redis-server on port ${port}`);
  return redis;
}

/** Whether a Redis answers PING on `port`. */
export function ping(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      done(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => (socket.destroy(), done(false)));
  });
}
