import { validateIdNumber, validateUscc } from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import { devCredentialsFile, type DevCredentials } from "../dev/credentials";
import { gatewayUrl, parseFlags, printJson, reportFailures } from "./admin-client";
import { UsageError } from "./options";
import { printWideTable } from "./wide-table";

/** The window's key: env ONECERT_API_KEY, else the demo window's key from the dev credentials file. */
export function windowApiKey(): string {
  if (process.env.ONECERT_API_KEY) return process.env.ONECERT_API_KEY;
  const path = devCredentialsFile();
  try {
    const credentials = JSON.parse(readFileSync(path, "utf8")) as DevCredentials;
    const window = credentials.clients.find((client) => client.role === "window");
    if (window) return window.apiKey;
  } catch {
    // No usable file: explained below.
  }
  throw new UsageError(
    `no API key: set ONECERT_API_KEY to a window client's key (no window key in ${path} either)`,
  );
}

const checkFields = (language: "ZH" | "EN") => `outcome caseNumber checkedAt matter { code nameZh nameEn }
  verdicts { certificate { id nameZh } role subject status reasonCode reasonParams
    reason(language: ${language}) evidence registries validUntil proof { token keyId expiresAt } }`;

/**
 * Exit codes of `onecert check`, so a script can tell the outcomes apart: 1 (an error) and 2 (a
 * usage mistake) are every command's; 3 and 4 are the matter's outcome when it is not SATISFIED.
 */
export const CHECK_EXIT = { SATISFIED: 0, NOT_SATISFIED: 3, UNDETERMINED: 4 } as const;

const exitFor = (outcome: string): number => CHECK_EXIT[outcome as keyof typeof CHECK_EXIT] ?? 1;

interface VerdictRow {
  certificate: { id: string; nameZh: string };
  role: string | null;
  subject: string;
  status: string;
  reasonCode: string;
  reason: string;
  evidence: Record<string, unknown>;
  proof: { token: string; keyId: string; expiresAt: string } | null;
}

/** A subject from `--id`, `--uscc` or `--subject role=ID`, typed by which check character verifies. */
function subjectOf(role: string | null, value: string): Record<string, string> {
  const subject: Record<string, string> = role ? { role } : {};
  if (validateIdNumber(value).ok) return { ...subject, idNumber: value };
  if (validateUscc(value).ok) return { ...subject, uscc: value };
  throw new UsageError(`"${value}" is neither a valid ID number nor a valid unified social credit code`);
}

const show = (value: unknown): string =>
  value === null || value === undefined
    ? "-"
    : Array.isArray(value)
      ? value.map(show).join(",") || "[]"
      : typeof value === "string"
        ? value
        : JSON.stringify(value);

/**
 * `onecert check --matter M --id ID [--subject role=ID ...] [--uscc USCC] [--case N] [--proofs]
 * [--language zh|en] [--json]`: every proof the matter needs, checked by the running gateway as
 * the window client; exits with CHECK_EXIT of the matter's outcome.
 */
export async function checkCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    matter: { type: "string" },
    id: { type: "string", multiple: true },
    uscc: { type: "string", multiple: true },
    subject: { type: "string", multiple: true },
    case: { type: "string" },
    operator: { type: "string" },
    proofs: { type: "boolean" },
    json: { type: "boolean" },
    language: { type: "string" },
  });
  const language = (values.language ?? "en").toUpperCase();
  if (language !== "ZH" && language !== "EN")
    throw new UsageError(`--language is zh or en, got "${values.language}"`);
  const matter = values.matter;
  if (!matter) throw new UsageError("--matter is required, e.g. --matter public-rental-housing");
  const subjects = [
    ...(values.id ?? []).map((id) => subjectOf(null, id)),
    ...(values.uscc ?? []).map((uscc) => subjectOf(null, uscc)),
    ...(values.subject ?? []).map((entry) => {
      const [role, id] = entry.split("=");
      if (!role || !id) throw new UsageError(`--subject wants role=ID, got "${entry}"`);
      return subjectOf(role, id);
    }),
  ];
  if (subjects.length === 0)
    throw new UsageError("name at least one subject: --id, --uscc or --subject role=ID");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    authorization: `Bearer ${windowApiKey()}`,
    "x-operator-id": values.operator ?? process.env.ONECERT_OPERATOR ?? "cli",
    "x-matter-code": matter,
  };
  if (values.case) headers["x-case-number"] = values.case;
  const field = values.proofs ? "issueProofs" : "checkMatter";
  const query = `${values.proofs ? "mutation" : "query"} Check($matter: ID!, $subjects: [SubjectInput!]!) {
    ${field}(matter: $matter, subjects: $subjects) { ${checkFields(language)} } }`;
  return reportFailures("check", async () => {
    const base = gatewayUrl();
    let reply: {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    try {
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables: { matter, subjects } }),
      });
      reply = (await response.json()) as typeof reply;
    } catch (error) {
      process.stderr.write(`The OneCert gateway is not answering at ${base}: ${(error as Error).message}\n`);
      return 1;
    }
    const result = reply.data?.[field] as
      | {
          outcome: string;
          caseNumber: string | null;
          checkedAt: string;
          matter: { code: string; nameZh: string; nameEn: string };
          verdicts: VerdictRow[];
        }
      | undefined;
    if (!result) {
      const first = reply.errors?.[0];
      process.stderr.write(
        `onecert check: ${first?.message ?? "no answer"} (${first?.extensions?.code ?? "ERROR"})\n`,
      );
      return 1;
    }
    if (values.json) {
      printJson(result);
      return exitFor(result.outcome);
    }
    process.stdout.write(
      `${result.matter.nameZh} ${result.matter.nameEn} (${result.matter.code}): ${result.outcome}` +
        `${result.caseNumber ? `, case ${result.caseNumber}` : ""}, checked ${result.checkedAt.slice(0, 19).replace("T", " ")} UTC\n\n`,
    );
    printWideTable(result.verdicts, [
      ["CERTIFICATE", (v) => `${v.certificate.id} ${v.certificate.nameZh}`],
      ["SUBJECT", (v) => `${v.role ?? "-"} ${v.subject}`],
      ["VERDICT", (v) => v.status],
      ["CODE", (v) => v.reasonCode],
      ["REASON", (v) => v.reason],
      [
        "EVIDENCE",
        (v) =>
          Object.entries(v.evidence)
            .map(([key, value]) => `${key}=${show(value)}`)
            .join(" "),
      ],
    ]);
    for (const verdict of result.verdicts.filter((v) => v.proof)) {
      process.stdout.write(
        `\nproof ${verdict.certificate.id} (key ${verdict.proof!.keyId}, until ${verdict.proof!.expiresAt}):\n${verdict.proof!.token}\n`,
      );
    }
    return exitFor(result.outcome);
  });
}
