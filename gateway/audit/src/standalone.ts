// The audit verifier on its own: one file (dist/onecert-audit-verify.cjs, bundled at build) that an
// auditor copies to any machine with Node.js 20 and runs without the project or a database:
//   node onecert-audit-verify.cjs verify --file EXPORT.ndjson [--file ...] --keys KEYS [--witness DIR] [--json]
//   node onecert-audit-verify.cjs check-proof PROOF.json --keys KEYS
// It checks export files (the hash chain, signed checkpoints and tree heads, a witness's heads) and
// inclusion proofs; nothing here reaches a network.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parsePublicKeys } from "./signing";
import { verifyFiles } from "./verify/sources";
import { inclusionProofProblem, type InclusionProofFile } from "./verify/proof-file";
import { witnessHeads, witnessRecordHashes as readWitnessRecordHashes } from "./witness";

const USAGE = `usage:
  onecert-audit-verify verify --file EXPORT [--file EXPORT ...] --keys KEYS [--witness DIR] [--json]
  onecert-audit-verify check-proof PROOF --keys KEYS
exit 0: verified; 1: it does not verify; 2: usage`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: "string", multiple: true },
        keys: { type: "string" },
        witness: { type: "string" },
        json: { type: "boolean" },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, proofFile] = positionals;
  if (!values.keys || (command !== "verify" && command !== "check-proof")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const keys = parsePublicKeys(readFileSync(values.keys, "utf8"));
  if (command === "check-proof") {
    if (!proofFile) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const proof = JSON.parse(readFileSync(proofFile, "utf8")) as InclusionProofFile;
    const problem = inclusionProofProblem(proof, keys);
    process.stdout.write(
      problem
        ? `The proof does NOT hold: ${problem}\n`
        : `Record ${proof.seq} is in the audit log's tree of ${proof.treeHead.treeSize} records signed at ${proof.treeHead.timestamp}.\n`,
    );
    return problem ? 1 : 0;
  }
  if (!values.file?.length) {
    process.stderr.write(`verify needs --file\n${USAGE}\n`);
    return 2;
  }
  const witness = values.witness ? witnessHeads(values.witness) : undefined;
  const witnessRecordHashes = values.witness ? readWitnessRecordHashes(values.witness) : undefined;
  const outcome = await verifyFiles(values.file, { keys, witness, witnessRecordHashes });
  if (values.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else if (outcome.ok)
    process.stdout.write(
      `Audit export verified: ${outcome.records} record(s) up to ${outcome.lastSeq}, ${outcome.checkpoints} checkpoint(s).\n` +
        outcome.warnings.map((warning) => `  warning: ${warning}\n`).join(""),
    );
  else
    process.stdout.write(
      `Audit export FAILED verification at record ${outcome.problem!.seq}: ${outcome.problem!.kind}.\n  ${outcome.problem!.message}\n`,
    );
  return outcome.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`onecert-audit-verify: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
