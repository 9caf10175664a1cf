import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import type { ServiceProbe } from "@onecert/subgraph-kit/testing";

// Global setup of the integration and e2e tiers: probes Redis, PostgreSQL and the redis-server
// binary once, hands the result to every test file (inject("services"), read by describeWith),
// and says at the start and at the end of the run which tests were skipped for want of a service.
// The same defaults as the tests' own (TEST_REDIS_URL, TEST_POSTGRES_URL in the toolkit).

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
/** The browser the console tests drive: Debian's Chromium unless CHROMIUM_PATH names another. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const POSTGRES_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

function tcpUp(url: URL, fallbackPort: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(Number(url.port || fallbackPort), url.hostname || "127.0.0.1");
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
    socket.once("timeout", () => (socket.destroy(), done(false)));
  });
}

async function postgresUp(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function binaryPresent(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore", timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Probes Redis, PostgreSQL and the redis-server binary. */
async function probeServices(): Promise<ServiceProbe> {
  const [redis, postgres] = await Promise.all([tcpUp(new URL(REDIS_URL), 6379), postgresUp(POSTGRES_URL)]);
  return {
    redis: { available: redis, detail: redis ? REDIS_URL : `no Redis at ${REDIS_URL}` },
    postgres: {
      available: postgres,
      detail: postgres ? "PostgreSQL" : `no PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, "//")}`,
    },
    "redis-server": {
      available: binaryPresent("redis-server"),
      detail: "the redis-server binary (Debian package redis-server)",
    },
    chromium: {
      available: existsSync(CHROMIUM_PATH),
      detail: `a Chromium at ${CHROMIUM_PATH} for the console's browser tests (apt-get install chromium)`,
    },
  };
}

const summary = (project: string, found: ServiceProbe): string | null => {
  const missing = Object.entries(found).filter(([, service]) => !service.available);
  if (missing.length === 0) return null;
  const lines = missing.map(([name, service]) => `  - ${name}: ${service.detail}`);
  return (
    `\n[${project}] SKIPPED: tests that need these services did not run:\n${lines.join("\n")}\n` +
    `  Start them (README, "Tests") to run the whole tier.\n`
  );
};

export default async function setup(project: TestProject): Promise<() => void> {
  const probe = await probeServices();
  project.provide("services", probe);
  const line = summary(project.name, probe);
  if (line) process.stderr.write(line);
  return () => {
    if (line) process.stderr.write(line);
  };
}
