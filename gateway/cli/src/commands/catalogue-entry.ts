import { readFileSync } from "node:fs";
import type { CheckResult, EntryKind, EntryVersion as CatalogueVersion } from "@onecert/catalogue";
import { adminCall, parseFlags, printJson, printTable, reportFailures, when } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";

const SUBCOMMANDS = "propose, check, approve, reject, publish, history, rollback, pending";

/** The command's name and the admin API's plural for each kind. */
const NAMES: Record<EntryKind, { command: string; path: string }> = {
  matter: { command: "matter", path: "matters" },
  certificate: { command: "certificate-type", path: "certificate-types" },
};

interface History {
  versions: CatalogueVersion[];
  releases: { id: number; version: number; action: string; actor: string; reason: string; at: string }[];
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0];
}

function codeAndVersion(positionals: string[]): [string, number] {
  const [code, version] = positionals;
  const number = Number(version);
  if (positionals.length !== 2 || !Number.isInteger(number) || number < 1)
    throw new UsageError("expected CODE VERSION (a version number from `history`)");
  return [code, number];
}

const readSource = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
};

function printCheck(result: CheckResult): number {
  if (result.ok) {
    process.stdout.write(
      `${result.kind} ${result.code} (${result.department}) fits the live catalogue and supergraph.\n`,
    );
    return 0;
  }
  process.stderr.write(
    `${result.problems.length} problem(s):\n${result.problems.map((p) => `  ${p}\n`).join("")}`,
  );
  return 1;
}

/**
 * `onecert matter …` and `onecert certificate-type …`: the live catalogue's versions via the
 * admin API. A department proposes (its own entries) and checks; the data administration
 * (admin) approves, rejects, publishes and rolls back. Exit 0 done, 1 refused or problems, 2 usage.
 */
export function catalogueEntryCommand(kind: EntryKind) {
  const { command, path } = NAMES[kind];
  return async (args: string[]): Promise<number> => {
    const [sub, ...rest] = args;
    const { values, positionals } = parseFlags(rest, {
      reason: { type: "string" },
      version: { type: "string" },
      json: { type: "boolean" },
    });
    const json = values.json === true;
    const reason = () => {
      if (!values.reason)
        throw new UsageError(`${command} ${sub} needs --reason "..." (it is kept with the version)`);
      return values.reason;
    };
    const show = (version: CatalogueVersion, verb: string) => {
      if (json) printJson(version);
      else
        process.stdout.write(`${verb} ${command} ${version.code} v${version.version} (${version.status}).\n`);
      return 0;
    };
    const step = async (name: "approve" | "reject" | "publish", verb: string) => {
      const [code, version] = codeAndVersion(positionals);
      const route = `/catalogue/${path}/${encodeURIComponent(code)}/versions/${version}/${name}`;
      return show(await adminCall<CatalogueVersion>("POST", route, { reason: reason() }), verb);
    };
    return reportFailures(command, async () => {
      switch (sub) {
        case "check": {
          const result = await adminCall<CheckResult>("POST", "/catalogue/check", {
            kind,
            source: readSource(one(positionals, "file")),
          });
          return json ? (printJson(result), result.ok ? 0 : 1) : printCheck(result);
        }
        case "propose": {
          const source = readSource(one(positionals, "file"));
          const version = await adminCall<CatalogueVersion>("POST", "/catalogue/proposals", {
            kind,
            source,
            reason: reason(),
          });
          return show(version, "Proposed");
        }
        case "approve":
          return step("approve", "Approved");
        case "reject":
          return step("reject", "Rejected");
        case "publish":
          return step("publish", "Published");
        case "rollback": {
          const code = encodeURIComponent(one(positionals, "code"));
          const version = values.version === undefined ? undefined : Number(values.version);
          if (version !== undefined && (!Number.isInteger(version) || version < 1))
            throw new UsageError("--version must be a version number");
          const body = { reason: reason(), ...(version ? { version } : {}) };
          return show(
            await adminCall<CatalogueVersion>("POST", `/catalogue/${path}/${code}/rollback`, body),
            "Live again:",
          );
        }
        case "history": {
          const code = encodeURIComponent(one(positionals, "code"));
          const history = await adminCall<History>("GET", `/catalogue/${path}/${code}`);
          if (json) printJson(history);
          else printTable(history.versions, COLUMNS);
          return 0;
        }
        case "pending": {
          const pending = (await adminCall<CatalogueVersion[]>("GET", "/catalogue/pending")).filter(
            (v) => v.kind === kind,
          );
          if (json) printJson(pending);
          else printTable(pending, COLUMNS);
          return 0;
        }
        default:
          throw unknownSubcommand(sub, SUBCOMMANDS);
      }
    });
  };
}

const COLUMNS: [string, (version: CatalogueVersion) => string][] = [
  ["CODE", (v) => v.code],
  ["VERSION", (v) => `v${v.version}${v.live ? " (live)" : ""}`],
  ["STATUS", (v) => v.status],
  ["DEPARTMENT", (v) => v.department],
  ["PROPOSED", (v) => `${when(v.proposedAt)} ${v.proposedBy}`],
  ["REVIEWED", (v) => (v.reviewedBy ? `${when(v.reviewedAt)} ${v.reviewedBy}` : "-")],
  ["REASON", (v) => v.reason],
];
