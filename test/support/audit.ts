import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAuditConfig, type AuditConfig } from "@onecert/audit";
import { cryptoSuiteFromEnv, type CryptoSuite } from "@onecert/subgraph-kit/suites";

/** The suite the tests run in: CRYPTO_SUITE, as a deployment reads it (CI runs both suites). */
export const testSuite = (): CryptoSuite => cryptoSuiteFromEnv(process.env);

/** A scratch directory for keys, spools and archives, removed by `cleanup`. */
export function scratchDir(prefix = "onecert-audit-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The audit settings of a test gateway: key, spool and archive under `dir`, then `overrides`. */
export function testAuditConfig(dir: string, overrides: Partial<AuditConfig> = {}): AuditConfig {
  const problems: string[] = [];
  const config = readAuditConfig(
    {
      AUDIT_SIGNING_KEY_FILE: join(dir, "signing-key.pem"),
      CRYPTO_SUITE: process.env.CRYPTO_SUITE,
      AUDIT_SPOOL_DIR: join(dir, "spool"),
      AUDIT_ARCHIVE_DIR: join(dir, "archive"),
    },
    problems,
  );
  if (problems.length > 0) throw new Error(problems.join("; "));
  return { ...config, ...overrides };
}

/** One HTTP exchange with the raw body, so a test can hash exactly what was sent. */
export async function exchange(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

export { sampleEntry } from "@onecert/audit/testing";
