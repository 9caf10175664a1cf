import { validateIdNumber, validateUscc } from "@onecert/subgraph-kit";
import { readFileSync } from "node:fs";
import { devCredentialsFile, type DevCredentials } from "../dev/credentials";
import { gatewayUrl, parseFlags, printJson, reportFailures } from "./admin-client";
import { UsageError } from "./options";

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

const CHECK_FIELDS = `outcome caseNumber checkedAt matter { code nameZh nameEn }
  verdicts { certificate { id nameZh } role subject status reason evidence registries validUntil
    proof { token keyId expiresAt } }`;

interface VerdictRow {
  certificate: { id: string; nameZh: string };
  role: string | null;
  subject: string;
  status: string;
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
 * [--json]`: every proof the matter needs, checked by the running gateway as the window client.
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
  });
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
    ${field}(matter: $matter, subjects: $subjects) { ${CHECK_FIELDS} } }`;
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
      return 0;
    }
    process.stdout.write(
      `${result.matter.nameZh} ${result.matter.nameEn} (${result.matter.code}): ${result.outcome}` +
        `${result.caseNumber ? `, case ${result.caseNumber}` : ""}, checked ${result.checkedAt.slice(0, 19).replace("T", " ")} UTC\n\n`,
    );
    printWideTable(result.verdicts, [
      ["CERTIFICATE", (v) => `${v.certificate.id} ${v.certificate.nameZh}`],
      ["SUBJECT", (v) => `${v.role ?? "-"} ${v.subject}`],
      ["VERDICT", (v) => v.status],
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
    return 0;
  });
}

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

/** An aligned table whose cells may hold Chinese text. */
function printWideTable<Row>(rows: readonly Row[], columns: readonly [string, (row: Row) => string][]): void {
  const cells = rows.map((row) => columns.map(([, cell]) => cell(row)));
  const widths = columns.map(([header], index) =>
    Math.max(displayWidth(header), ...cells.map((line) => displayWidth(line[index]))),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value + " ".repeat(widths[index] - displayWidth(value)))
      .join("  ")
      .trimEnd();
  process.stdout.write([line(columns.map(([header]) => header)), ...cells.map(line)].join("\n") + "\n");
}
