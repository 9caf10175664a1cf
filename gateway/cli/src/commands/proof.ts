import { readFile } from "node:fs/promises";
import type { JWK } from "jose";
import { JWKS_PATH } from "@onecert/subgraph-kit";
import { verifyProofToken } from "@onecert/certificates";
import {
  adminCall,
  gatewayUrl,
  parseFlags,
  printJson,
  printTable,
  reportFailures,
  when,
} from "./admin-client";
import { UsageError } from "./options";

/** The public keys: a JWKS file, a JWKS URL, or the running gateway's /.well-known/jwks.json. */
async function loadJwks(source: string | undefined): Promise<JWK[]> {
  const where = source ?? `${gatewayUrl()}${JWKS_PATH}`;
  let text: string;
  try {
    text = /^https?:\/\//.test(where)
      ? await (await fetch(where, { signal: AbortSignal.timeout(10_000) })).text()
      : await readFile(where, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the JWKS at ${where}: ${(error as Error).message}`);
  }
  try {
    const keys = (JSON.parse(text) as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new Error("no keys array");
    return keys as JWK[];
  } catch (error) {
    throw new UsageError(`${where} is not a JWKS: ${(error as Error).message}`);
  }
}

/**
 * `onecert proof verify TOKEN [--jwks FILE|URL] [--issuer I] [--json]` checks a proof with public
 * keys only (offline with a JWKS file); `proof keys` and `proof rotate` use the admin API.
 */
export async function proofCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "verify") {
    const { values, positionals } = parseFlags(rest, {
      jwks: { type: "string" },
      issuer: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length !== 1)
      throw new UsageError("expected the proof token: onecert proof verify TOKEN");
    const keys = await loadJwks(values.jwks);
    const result = await verifyProofToken(positionals[0], keys, {
      issuer: values.issuer ?? process.env.PROOF_ISSUER ?? "onecert",
    });
    if (values.json) printJson(result);
    else if (result.valid) {
      const c = result.claims!;
      process.stdout.write(
        `VALID proof (key ${result.keyId})\n  certificate  ${c.certificate}\n  verdict      ${c.verdict}\n` +
          `  subject      ${c.subject} (${c.subjectKind})\n  matter       ${c.matter ?? "-"}, case ${c.caseNumber ?? "-"}\n` +
          `  registries   ${c.registries.join(", ")}\n  evidence     sha256 ${c.evidenceDigest}\n` +
          `  issued       ${c.issuedAt.toISOString()} by ${c.issuer}\n  expires      ${c.expiresAt.toISOString()}\n`,
      );
    } else process.stdout.write(`INVALID proof: ${result.code}: ${result.reason}\n`);
    return result.valid ? 0 : 1;
  }
  if (sub === "keys" || sub === "rotate") {
    const { values } = parseFlags(rest, { json: { type: "boolean" } });
    return reportFailures(`proof ${sub}`, async () => {
      type Key = {
        kid: string;
        createdAt: string;
        retiredAt: string | null;
        signedUntil: string | null;
        status: string;
      };
      const keys =
        sub === "keys"
          ? await adminCall<Key[]>("GET", "/proof-keys")
          : [await adminCall<Key>("POST", "/proof-keys/rotate")];
      if (values.json) printJson(sub === "keys" ? keys : keys[0]);
      else {
        if (sub === "rotate")
          process.stdout.write(
            "New active proof key; the previous one stays published while its proofs are valid.\n",
          );
        printTable(keys, [
          ["KID", (k) => k.kid],
          ["STATUS", (k) => k.status],
          ["CREATED", (k) => when(k.createdAt)],
          ["RETIRED", (k) => when(k.retiredAt)],
          ["PROOFS VALID UNTIL", (k) => when(k.signedUntil)],
        ]);
      }
      return 0;
    });
  }
  throw new UsageError("proof what? one of: verify TOKEN [--jwks FILE|URL], keys, rotate");
}
