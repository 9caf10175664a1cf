import { vi } from "vitest";
import { main } from "@onecert/cli";

/** What one `onecert ...` printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `onecert ...` in this process against the gateway at `base` with the API key `key`
 * (ONECERT_URL, ONECERT_API_KEY for the call, as they were after it), capturing what it prints.
 */
export async function runCli(base: string, key: string, args: string[]): Promise<CliRun> {
  const saved = { ONECERT_URL: process.env.ONECERT_URL, ONECERT_API_KEY: process.env.ONECERT_API_KEY };
  Object.assign(process.env, { ONECERT_URL: base, ONECERT_API_KEY: key });
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}
