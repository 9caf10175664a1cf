import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_JWKS_PATH } from "@onecert/subgraph-kit";
import {
  startMarriageRegistry,
  type MarriageVariant,
  type RunningMarriageRegistry,
} from "../fixtures/marriage/server";
import { startProvidentFund } from "../fixtures/provident-fund/server";
import type { RunningDepartmentSubgraph } from "../fixtures/department/server";
import { postGraphQL } from "../support/stack";
import { readmeExamples, shapeDifferences, textDifferences, type Example } from "../support/readme";

/**
 * Every README example marked as runnable runs here, in order, against `onecert start` as a user
 * starts it (its own data directory, 1,000 persons), and what it prints has the shape the README
 * shows. The only rewrites: the stack (and the walkthrough's marriage registry and provident
 * fund subgraph, which `npm run example:marriage` and `example:provident-fund` serve on :4006 and
 * :4007) listen on free ports, so 127.0.0.1:4000, :4006, :4007 and
 * ONECERT_URL point there. The examples run in a scratch copy of the repository root (links to
 * its node_modules, schema and test folders), so what they write stays out of the repository.
 */
const ROOT = resolve(__dirname, "../..");
const BIN = join(ROOT, "gateway/cli/bin/onecert.cjs");
const workDir = mkdtempSync(join(tmpdir(), "onecert-readme-"));
const dataDir = join(workDir, ".data");
const stateFile = join(workDir, "example-state.sh");
const examples = readmeExamples(join(ROOT, "README.md"));
let child: ChildProcess;
let base = "";
let marriage: RunningMarriageRegistry;
let fund: RunningDepartmentSubgraph;

function startStack(): Promise<string> {
  const ports = ["PORT", "POPULATION_PORT", "LEGAL_ENTITY_PORT", "PROPERTY_PORT", "SOCIAL_INSURANCE_PORT"];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries([...ports, "CERTIFICATES_PORT"].map((name) => [name, "0"])),
    ONECERT_DATA_DIR: dataDir,
    SEED_PERSONS: "1000",
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  delete env.VITEST;
  child = spawn(process.execPath, [BIN, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setInterval(() => {
      const match = /gateway\s+(http:\/\/\S+)\/graphql/.exec(output);
      if (!match || !output.includes("Press Ctrl-C")) return;
      clearInterval(timer);
      done(match[1]);
    }, 100);
    child.once("exit", (code) => {
      clearInterval(timer);
      fail(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

const rewrite = (code: string) =>
  code
    .replaceAll("http://127.0.0.1:4000", base)
    .replaceAll("http://127.0.0.1:4006/graphql", marriage.url)
    .replaceAll("http://127.0.0.1:4007/graphql", fund.url);

/** Runs a shell example with the variables earlier examples set; keeps the ones it sets. */
async function runShell(example: Extract<Example, { kind: "shell" }>): Promise<string> {
  const assigned = [...example.code.matchAll(/^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  const keep = assigned.map((name) => `declare -p ${name} >> ${JSON.stringify(stateFile)}`).join("\n");
  const script = `set -euo pipefail\nsource ${JSON.stringify(stateFile)}\n${rewrite(example.code)}\n${keep}\n`;
  const env: NodeJS.ProcessEnv = { ...process.env, ONECERT_URL: base, ONECERT_DATA_DIR: dataDir };
  delete env.VITEST;
  delete env.ONECERT_API_KEY;
  try {
    const { stdout } = await promisify(execFile)("bash", ["-c", script], {
      cwd: workDir,
      env,
      maxBuffer: 1 << 26,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`README.md:${example.line} failed:\n${failed.stderr ?? ""}${failed.stdout ?? ""}`);
  }
}

async function runQuery(example: Extract<Example, { kind: "query" }>): Promise<string> {
  const credentials = JSON.parse(readFileSync(join(dataDir, "dev-credentials.json"), "utf8")) as {
    clients: { name: string; apiKey: string }[];
  };
  const window = credentials.clients.find((client) => client.name === "demo-window")!;
  const variables: Record<string, string> = {};
  for (const [name, sample] of Object.entries(example.variables)) {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "samples", "--case", sample], {
      env: { ...process.env, ONECERT_DATA_DIR: dataDir },
    });
    variables[name] = stdout.trim();
  }
  const reply = await postGraphQL(`${base}/graphql`, example.code, variables, {
    authorization: `Bearer ${window.apiKey}`,
    "x-operator-id": "clerk-001",
    "x-matter-code": example.matter,
  });
  if (reply.errors) throw new Error(`README.md:${example.line}: ${JSON.stringify(reply.errors)}`);
  return JSON.stringify({ data: reply.data });
}

beforeAll(async () => {
  mkdirSync(dataDir);
  for (const name of ["node_modules", "package.json", "schema", "test"])
    symlinkSync(join(ROOT, name), join(workDir, name));
  writeFileSync(stateFile, "");
  base = await startStack();
  marriage = await startMarriageRegistry(
    { persons: 1000, seed: 1 },
    { jwksUrl: `${base}${GATEWAY_JWKS_PATH}` },
  );
  fund = await startProvidentFund({ jwksUrl: `${base}${GATEWAY_JWKS_PATH}` });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGINT");
    await exited;
  }
  await marriage?.stop();
  await fund?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("the README's examples", () => {
  it("finds the runnable examples", () => {
    expect(examples.filter((example) => example.kind !== "output").length).toBeGreaterThan(5);
  });

  it("run as written and print what the README shows", { timeout: 600_000 }, async () => {
    let last: { line: number; output: string } | null = null;
    for (const example of examples) {
      if (example.kind === "file") {
        expect(`${example.code}\n`, `README.md:${example.line}`).toBe(
          readFileSync(join(ROOT, example.path), "utf8"),
        );
      } else if (example.kind === "shell") {
        // The walkthrough's restart of `npm run example:marriage` with another MARRIAGE_VARIANT.
        const variant = example.settings.marriage as MarriageVariant | undefined;
        if (variant) await marriage.serve(variant);
        last = { line: example.line, output: await runShell(example) };
      } else if (example.kind === "query") last = { line: example.line, output: await runQuery(example) };
      else {
        if (!last) throw new Error(`README.md:${example.line}: an output with no example before it`);
        const where = `README.md:${example.line} (output of the example at line ${last.line})`;
        const differences =
          example.language === "json"
            ? shapeDifferences(JSON.parse(example.code), JSON.parse(last.output))
            : textDifferences(example.code, last.output);
        expect(differences, `${where}\n${last.output}`).toEqual([]);
      }
    }
  });
});
