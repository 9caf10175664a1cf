import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { README_QUERY } from "@onecert/cli";
import { postGraphQL } from "../support/stack";

const BIN = resolve(__dirname, "../../gateway/cli/bin/onecert.cjs");
const dataDir = mkdtempSync(join(tmpdir(), "onecert-start-"));

interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
}

/** Runs `onecert start` on free ports with an embedded database in `dataDir`, as a user would. */
function startCli(): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    POPULATION_PORT: "0",
    LEGAL_ENTITY_PORT: "0",
    PROPERTY_PORT: "0",
    SOCIAL_INSURANCE_PORT: "0",
    CERTIFICATES_PORT: "0",
    PGLITE_DATA_DIR: join(dataDir, "pglite"),
    WORLD_FILE: join(dataDir, "world.json"),
    DEV_CREDENTIALS_FILE: join(dataDir, "dev-credentials.json"),
    SEED_PERSONS: "300",
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  delete env.VITEST;
  const child = spawn(process.execPath, [BIN, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${output}`)), 120_000);
    const check = setInterval(() => {
      const match = /gateway\s+(http:\/\/\S+\/graphql)/.exec(output);
      if (match && output.includes("Press Ctrl-C")) {
        clearInterval(check);
        clearTimeout(timer);
        resolvePromise({ child, output: () => output, gatewayUrl: match[1] });
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

function stopCli(started: Started): Promise<number | null> {
  return new Promise((resolvePromise) => {
    started.child.removeAllListeners("exit");
    started.child.once("exit", (code) => resolvePromise(code));
    started.child.kill("SIGINT");
  });
}

describe("onecert start", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("seeds on first start, prints a working example, stops on Ctrl-C and keeps its data", async () => {
    const first = await startCli();
    expect(first.output()).toMatch(/seeding/);
    const example = /-d '(\{.*\})'/.exec(first.output());
    expect(example).not.toBeNull();
    const { variables } = JSON.parse(example![1]) as { variables: { id: string } };
    const headers = Object.fromEntries(
      [...first.output().matchAll(/-H '([a-z-]+): ([^']+)'/g)].map((m) => [m[1], m[2]]),
    );
    expect(headers.authorization).toMatch(/^Bearer oc_/);
    const result = await postGraphQL<{ person: { name: string; socialInsurance: unknown } }>(
      first.gatewayUrl,
      README_QUERY,
      variables,
      headers,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.name.length).toBeGreaterThan(1);
    expect(await stopCli(first)).toBe(0);
    expect(first.output()).toMatch(/stopped\./);
    const world = JSON.parse(readFileSync(join(dataDir, "world.json"), "utf8")) as { persons: number };
    expect(world.persons).toBe(300);
    const credentials = JSON.parse(readFileSync(join(dataDir, "dev-credentials.json"), "utf8")) as {
      clients: { role: string }[];
    };
    expect(credentials.clients.map((c) => c.role).sort()).toEqual([
      "admin",
      "auditor",
      "department",
      "window",
    ]);

    const second = await startCli();
    expect(second.output()).not.toMatch(/seeding/);
    // The same development keys still work after a restart.
    const again = await postGraphQL<{ person: { name: string } }>(
      second.gatewayUrl,
      README_QUERY,
      variables,
      headers,
    );
    expect(again.data!.person.name).toBe(result.data!.person.name);
    expect(await stopCli(second)).toBe(0);
  });
});
