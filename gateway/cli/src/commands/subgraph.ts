import { readFile } from "node:fs/promises";
import type {
  CheckReport,
  PublishResult,
  VersionSummary,
  SubgraphDetails,
  SubgraphView,
} from "@onecert/schema-registry";
import { adminCall, parseFlags, printJson, printTable, reportFailures } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";
import { HISTORY_COLUMNS, printPublished, printReport, SUBGRAPH_COLUMNS } from "./subgraph-output";

const SUBCOMMANDS = "list, show, check, register, update, remove, history, rollback";

type Flags = ReturnType<typeof parseSubgraphFlags>["values"];

function parseSubgraphFlags(args: string[]) {
  return parseFlags(args, {
    url: { type: "string" },
    schema: { type: "string" },
    introspect: { type: "boolean" },
    department: { type: "string" },
    contact: { type: "string" },
    "update-cycle": { type: "string" },
    remove: { type: "boolean" },
    override: { type: "boolean" },
    reason: { type: "string" },
    "dry-run": { type: "boolean" },
    limit: { type: "string" },
    sdl: { type: "boolean" },
    json: { type: "boolean" },
  });
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0];
}

const path = (name: string) => `/subgraphs/${encodeURIComponent(name)}`;

/**
 * The SDL to send: --schema FILE, or with --introspect the `_service { sdl }` of the running
 * subgraph, which the gateway reads for us (a subgraph answers only the gateway's signed calls).
 */
async function sdlOf(flags: Flags, name: string): Promise<string | undefined> {
  if (flags.schema && flags.introspect) throw new UsageError("give --schema FILE or --introspect, not both");
  if (flags.schema) {
    return readFile(flags.schema, "utf8").catch((error: unknown) => {
      throw new UsageError(`cannot read --schema ${flags.schema}: ${(error as Error).message}`);
    });
  }
  if (!flags.introspect) return undefined;
  const body = flags.url ? { url: flags.url } : {};
  return (await adminCall<{ sdl: string }>("POST", `${path(name)}/introspect`, body)).sdl;
}

/** The registration fields given as flags; absent flags are left out. */
async function fields(flags: Flags, name: string) {
  const body: Record<string, unknown> = {};
  if (flags.department !== undefined) body.department = flags.department;
  if (flags.url !== undefined) body.url = flags.url;
  if (flags.contact !== undefined) body.contact = flags.contact;
  if (flags["update-cycle"] !== undefined) body.updateCycle = flags["update-cycle"];
  const sdl = await sdlOf(flags, name);
  if (sdl !== undefined) body.sdl = sdl;
  return body;
}

const publishFlags = (flags: Flags) => ({
  ...(flags.override ? { override: true } : {}),
  ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
});

/** `onecert subgraph ...`: the department registry through the running gateway's admin API. */
export async function subgraphCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values: flags, positionals } = parseSubgraphFlags(rest);
  const json = flags.json === true;
  return reportFailures("subgraph", async () => {
    switch (sub) {
      case "list": {
        const subgraphs = await adminCall<SubgraphView[]>("GET", "/subgraphs");
        if (json) printJson(subgraphs);
        else printTable(subgraphs, SUBGRAPH_COLUMNS);
        return 0;
      }
      case "show": {
        const details = await adminCall<SubgraphDetails>("GET", path(one(positionals, "subgraph name")));
        if (json) printJson(details);
        else if (flags.sdl) process.stdout.write(`${details.sdl}\n`);
        else {
          printTable([details], SUBGRAPH_COLUMNS);
          process.stdout.write(
            `\ncontact: ${details.contact ?? "-"}, update cycle: ${details.updateCycle ?? "-"}\n\n`,
          );
          printTable(details.history, HISTORY_COLUMNS);
        }
        return 0;
      }
      case "check": {
        const name = one(positionals, "subgraph name");
        const body = flags.remove ? { remove: true } : await fields(flags, name);
        const report = await adminCall<CheckReport>("POST", `${path(name)}/check`, body);
        if (json) printJson(report);
        else printReport(report);
        return report.ok ? 0 : 1;
      }
      case "register": {
        const name = one(positionals, "subgraph name");
        if (!flags.url)
          throw new UsageError("subgraph register needs --url and --schema FILE (or --introspect)");
        const body: Record<string, unknown> = {
          name,
          ...(await fields(flags, name)),
          ...publishFlags(flags),
        };
        if (body.sdl === undefined)
          throw new UsageError("subgraph register needs --schema FILE or --introspect");
        printPublished(await adminCall<PublishResult>("POST", "/subgraphs", body), json);
        return 0;
      }
      case "update": {
        const name = one(positionals, "subgraph name");
        const body = { ...(await fields(flags, name)), ...publishFlags(flags) };
        printPublished(await adminCall<PublishResult>("POST", `${path(name)}/update`, body), json);
        return 0;
      }
      case "remove": {
        const name = one(positionals, "subgraph name");
        printPublished(
          await adminCall<PublishResult>("POST", `${path(name)}/remove`, publishFlags(flags)),
          json,
        );
        return 0;
      }
      case "history": {
        if (positionals.length > 1) throw new UsageError("expected at most one subgraph name");
        const query = new URLSearchParams();
        if (positionals[0]) query.set("subgraph", positionals[0]);
        if (flags.limit) query.set("limit", flags.limit);
        const versions = await adminCall<VersionSummary[]>("GET", `/registry/versions?${query.toString()}`);
        if (json) printJson(versions);
        else printTable(versions, HISTORY_COLUMNS);
        return 0;
      }
      case "rollback": {
        const version = Number(one(positionals, "version number"));
        if (!Number.isInteger(version) || version < 1) throw new UsageError("the version must be a number");
        if (flags["dry-run"]) {
          const report = await adminCall<CheckReport>("POST", "/registry/rollback", {
            version,
            dryRun: true,
          });
          if (json) printJson(report);
          else printReport(report);
          return report.ok ? 0 : 1;
        }
        const body = { version, ...publishFlags(flags) };
        printPublished(await adminCall<PublishResult>("POST", "/registry/rollback", body), json);
        return 0;
      }
      default:
        throw unknownSubcommand(sub, SUBCOMMANDS);
    }
  });
}
