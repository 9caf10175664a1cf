import { openDb, type Db } from "@onecert/subgraph-kit";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  ExportFormatError,
  exportLines,
  writeLinesFile,
  generateSigningKey,
  parsePublicKeys,
  publicKeyOf,
  createAuditStore,
  witnessHeads,
  witnessRecordHashes as readWitnessRecordHashes,
} from "@onecert/audit";
import { verifyFiles, verifyStore, type VerifyOutcome } from "@onecert/audit";
import { loadGatewayConfig } from "@onecert/gateway";
import { DATA_DIR } from "@onecert/subgraph-kit";
import { isSuiteName, seal, suiteByName } from "@onecert/subgraph-kit/suites";
import { adminCall, parseFlags, reportFailures } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";
import { reconcileCommand } from "./reconcile";
import { checkProofCommand, proveCommand, witnessCommand } from "./witness";

const SUBCOMMANDS = "verify, export, reconcile, witness, prove, check-proof, keygen, public-key, rotate-key";

/**
 * The audit database: AUDIT_DATABASE_URL, GATEWAY_DATABASE_URL or DATABASE_URL; else the embedded
 * one (`--data-dir`, AUDIT_PGLITE_DATA_DIR, or that of `onecert start`: .data/pglite-audit). An
 * embedded database serves one process: stop the gateway first, or verify an export from the API.
 */
async function openAuditDb(dataDir: string | undefined): Promise<Db> {
  const config = loadGatewayConfig();
  const url = dataDir ? undefined : (config.audit.databaseUrl ?? config.database.url);
  const embedded =
    dataDir ??
    config.audit.pgliteDataDir ??
    `${process.env.PGLITE_DATA_DIR || resolve(DATA_DIR, "pglite")}-audit`;
  const db = openDb(url ? { url } : { dataDir: embedded });
  const [found] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('audit.records') IS NOT NULL AS present",
  );
  if (!found?.present) {
    await db.close();
    throw new UsageError(
      `no audit trail in ${url ? "the database" : "the embedded database"}: has the gateway run on it?`,
    );
  }
  return db;
}

function print(outcome: VerifyOutcome, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    return outcome.ok ? 0 : 1;
  }
  const n = (value: number) => value.toLocaleString("en");
  const lines = outcome.ok
    ? [
        `Audit log verified: ${n(outcome.records)} record(s) up to record ${n(outcome.lastSeq)}, ` +
          `${n(outcome.checkpoints)} signed checkpoint(s) (keys: ${outcome.keysFrom === "given" ? "--keys" : "from the log"}).`,
      ]
    : [
        `Audit log FAILED verification at record ${n(outcome.problem!.seq)}` +
          (outcome.problem!.requestId ? ` (request ${outcome.problem!.requestId})` : "") +
          `: ${outcome.problem!.kind}.`,
        `  ${outcome.problem!.message}`,
        `  ${n(outcome.records)} record(s) before it verified.`,
      ];
  lines.push(`  sources: ${outcome.sources.join(", ")}`);
  for (const warning of outcome.warnings) lines.push(`  warning: ${warning}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return outcome.ok ? 0 : 1;
}

const seq = (flag: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new UsageError(`--${flag} must be a record sequence number`);
  return Number(raw);
};

/** `onecert audit verify|export|reconcile|keygen|public-key`; a file that cannot be read is reported, exit code 1. */
export async function auditCommand(args: string[]): Promise<number> {
  try {
    return await run(args);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof ExportFormatError) && code !== "ENOENT" && code !== "EEXIST" && code !== "EACCES")
      throw error;
    process.stderr.write(`onecert audit: ${(error as Error).message}\n`);
    return 1;
  }
}

async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, {
    file: { type: "string", multiple: true },
    archives: { type: "boolean" },
    "archive-dir": { type: "string" },
    keys: { type: "string" },
    json: { type: "boolean" },
    out: { type: "string" },
    "after-seq": { type: "string" },
    "to-seq": { type: "string" },
    "data-dir": { type: "string" },
    "key-file": { type: "string" },
    registry: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "registry-database-url": { type: "string" },
    "registry-data-dir": { type: "string" },
    witness: { type: "string" },
    dir: { type: "string" },
    once: { type: "boolean" },
    interval: { type: "string" },
    record: { type: "string" },
    "tree-size": { type: "string" },
    suite: { type: "string" },
  });
  switch (sub) {
    case "verify": {
      const keys = values.keys ? parsePublicKeys(readFileSync(values.keys, "utf8")) : undefined;
      const witness = values.witness ? witnessHeads(values.witness) : undefined;
      const witnessRecordHashes = values.witness ? readWitnessRecordHashes(values.witness) : undefined;
      if (values.file?.length)
        return print(
          await verifyFiles(values.file, { keys, witness, witnessRecordHashes }),
          values.json === true,
        );
      const db = await openAuditDb(values["data-dir"]);
      try {
        const archiveDir = values.archives
          ? (values["archive-dir"] ?? loadGatewayConfig().audit.archiveDir)
          : undefined;
        return print(
          await verifyStore(createAuditStore(db, { replica: "cli" }), {
            keys,
            archiveDir,
            witness,
            witnessRecordHashes,
          }),
          values.json === true,
        );
      } finally {
        await db.close();
      }
    }
    case "export": {
      if (!values.out) throw new UsageError("audit export needs --out FILE");
      const db = await openAuditDb(values["data-dir"]);
      try {
        const store = createAuditStore(db, { replica: "cli" });
        const range = {
          afterSeq: seq("after-seq", values["after-seq"]),
          toSeq: seq("to-seq", values["to-seq"]),
        };
        const sha256 = await writeLinesFile(values.out, exportLines(store, range));
        process.stdout.write(`Exported the audit chain to ${values.out} (sha256 ${sha256}).\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case "reconcile":
      return reconcileCommand(values, () => openAuditDb(values["data-dir"]));
    case "witness":
      return reportFailures("audit witness", () => witnessCommand(values));
    case "prove":
      return reportFailures("audit prove", () => proveCommand(values));
    case "check-proof":
      return checkProofCommand(positionals[0], values.keys);
    case "keygen": {
      if (!values.out) throw new UsageError("audit keygen needs --out FILE");
      // The suite of the deployment unless told: --suite, else CRYPTO_SUITE.
      const suiteName = values.suite ?? process.env.CRYPTO_SUITE ?? "";
      if (suiteName !== "" && !isSuiteName(suiteName))
        throw new UsageError(`--suite must be "standard" or "national", got "${suiteName}"`);
      const key = generateSigningKey(suiteName === "" ? undefined : suiteByName(suiteName));
      const secret = process.env.AUDIT_SIGNING_KEY_SECRET;
      writeFileSync(values.out, secret ? seal(key.privatePem, secret) : key.privatePem, {
        mode: 0o600,
        flag: "wx",
      });
      const { keyId, publicKey, suite } = key;
      process.stdout.write(`${JSON.stringify({ keyId, suite, publicKey }, null, 2)}\n`);
      return 0;
    }
    case "rotate-key": {
      // The running gateway rotates (AUDIT_SIGNING_KEY_STORE=database): the key never leaves it.
      const key = await adminCall<{ keyId: string; publicKey: string }>("POST", "/audit/keys/rotate");
      process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
      return 0;
    }
    case "public-key": {
      const file = values["key-file"] ?? loadGatewayConfig().audit.signingKeyFile;
      const key = publicKeyOf(readFileSync(file, "utf8"), process.env.AUDIT_SIGNING_KEY_SECRET);
      process.stdout.write(`${JSON.stringify([key], null, 2)}\n`);
      return 0;
    }
    default:
      throw unknownSubcommand(sub, SUBCOMMANDS);
  }
}
