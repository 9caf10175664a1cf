import { GRANT_STATUSES, type GrantRecord } from "@onecert/access";
import { parseIsoDate } from "@onecert/subgraph-kit";
import { adminCall, parseFlags, printJson, printTable, reportFailures, when } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";

const SUBCOMMANDS = "request, list, show, approve, reject, revoke";

const list = (raw: string | undefined): string[] | undefined =>
  raw
    ?.split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

function date(flag: string, raw: string | undefined): string | undefined {
  if (raw !== undefined && !parseIsoDate(raw)) {
    throw new UsageError(`--${flag} must be a date YYYY-MM-DD (or an ISO date-time), got "${raw}"`);
  }
  return raw;
}

function onlyId(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError("expected exactly one grant id");
  return encodeURIComponent(positionals[0]);
}

function show(grant: GrantRecord, json: boolean, verb: string): void {
  if (json) return printJson(grant);
  process.stdout.write(`${verb} grant ${grant.id}: ${grant.status}.\n`);
  printTable([grant], GRANT_COLUMNS);
}

/** `onecert grant request|list|show|approve|reject|revoke`: manages grants via the admin API. */
export async function grantCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, {
    client: { type: "string" },
    fields: { type: "string" },
    matters: { type: "string" },
    until: { type: "string" },
    from: { type: "string" },
    reason: { type: "string" },
    clear: { type: "boolean" },
    status: { type: "string" },
    note: { type: "string" },
    json: { type: "boolean" },
  });
  const json = values.json === true;
  if (values.status !== undefined && !(GRANT_STATUSES as readonly string[]).includes(values.status)) {
    throw new UsageError(`--status must be one of ${GRANT_STATUSES.join(", ")}`);
  }
  if (sub === "request") {
    const body = {
      clientId: values.client,
      fields: list(values.fields),
      matters: list(values.matters),
      clearValues: values.clear === true,
      validFrom: date("from", values.from),
      validUntil: date("until", values.until),
      reason: values.reason,
    };
    const given = { client: body.clientId, fields: body.fields?.length, matters: body.matters?.length };
    const missing = Object.entries({ ...given, until: body.validUntil, reason: body.reason })
      .filter(([, value]) => !value)
      .map(([flag]) => flag);
    if (missing.length > 0)
      throw new UsageError(`grant request needs ${missing.map((flag) => `--${flag}`).join(", ")}`);
    return reportFailures("grant", async () => {
      show(await adminCall<GrantRecord>("POST", "/grants", body), json, "Requested");
      return 0;
    });
  }
  return reportFailures("grant", async () => {
    switch (sub) {
      case "list": {
        const query = new URLSearchParams();
        if (values.client) query.set("clientId", values.client);
        if (values.status) query.set("status", values.status);
        const grants = await adminCall<GrantRecord[]>(
          "GET",
          `/grants${query.size > 0 ? `?${query.toString()}` : ""}`,
        );
        if (json) printJson(grants);
        else printTable(grants, GRANT_COLUMNS);
        return 0;
      }
      case "show": {
        const grant = await adminCall<GrantRecord>("GET", `/grants/${onlyId(positionals)}`);
        if (json) printJson(grant);
        else printTable([grant], GRANT_COLUMNS);
        return 0;
      }
      case "approve":
      case "reject":
      case "revoke": {
        const body = values.note === undefined ? undefined : { note: values.note };
        const grant = await adminCall<GrantRecord>("POST", `/grants/${onlyId(positionals)}/${sub}`, body);
        show(grant, json, { approve: "Approved", reject: "Rejected", revoke: "Revoked" }[sub]);
        return 0;
      }
      default:
        throw unknownSubcommand(sub, SUBCOMMANDS);
    }
  });
}

const GRANT_COLUMNS: [string, (grant: GrantRecord) => string][] = [
  ["ID", (grant) => grant.id],
  ["CLIENT", (grant) => grant.clientName],
  ["STATUS", (grant) => grant.status],
  ["FIELDS", (grant) => grant.fields.join(",")],
  ["MATTERS", (grant) => grant.matters.join(",")],
  ["CLEAR", (grant) => (grant.clearValues ? "yes" : "no")],
  ["VALID FROM", (grant) => when(grant.validFrom)],
  ["VALID BEFORE", (grant) => when(grant.validUntil)],
  ["REASON", (grant) => (grant.reason.length > 40 ? `${grant.reason.slice(0, 39)}…` : grant.reason)],
];
