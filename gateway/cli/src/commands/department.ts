import type { DepartmentRecord } from "@onecert/access";
import { adminCall, parseFlags, printJson, printTable, reportFailures, when } from "./admin-client";
import { UsageError } from "./options";
import { unknownSubcommand } from "./usage-error";

const SUBCOMMANDS = "list, show, add, update";

function onlyCode(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError("expected exactly one department code");
  return positionals[0];
}

/** `onecert department list|show|add|update`: the departments directory via the admin API. */
export async function departmentCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, {
    "name-zh": { type: "string" },
    "name-en": { type: "string" },
    "credit-code": { type: "string" },
    contact: { type: "string" },
    json: { type: "boolean" },
  });
  const json = values.json === true;
  return reportFailures("department", async () => {
    switch (sub) {
      case "list": {
        const departments = await adminCall<DepartmentRecord[]>("GET", "/departments");
        if (json) printJson(departments);
        else printTable(departments, COLUMNS);
        return 0;
      }
      case "show": {
        const code = encodeURIComponent(onlyCode(positionals));
        const department = await adminCall<DepartmentRecord>("GET", `/departments/${code}`);
        if (json) printJson(department);
        else {
          printTable([department], COLUMNS);
          process.stdout.write(`\ncontact: ${department.contact ?? "-"}, added by ${department.createdBy}\n`);
        }
        return 0;
      }
      case "add": {
        const code = onlyCode(positionals);
        if (!values["name-zh"] || !values["name-en"] || !values["credit-code"])
          throw new UsageError("department add needs --name-zh, --name-en and --credit-code");
        const department = await adminCall<DepartmentRecord>("POST", "/departments", {
          code,
          nameZh: values["name-zh"],
          nameEn: values["name-en"],
          creditCode: values["credit-code"],
          ...(values.contact !== undefined ? { contact: values.contact } : {}),
        });
        if (json) printJson(department);
        else
          process.stdout.write(
            `Added department ${department.code}: ${department.nameZh} (${department.nameEn}).\n`,
          );
        return 0;
      }
      case "update": {
        const code = encodeURIComponent(onlyCode(positionals));
        const change = {
          nameZh: values["name-zh"],
          nameEn: values["name-en"],
          creditCode: values["credit-code"],
          contact: values.contact,
        };
        if (Object.values(change).every((value) => value === undefined))
          throw new UsageError("department update needs --name-zh, --name-en, --credit-code or --contact");
        const department = await adminCall<DepartmentRecord>("POST", `/departments/${code}`, change);
        if (json) printJson(department);
        else printTable([department], COLUMNS);
        return 0;
      }
      default:
        throw unknownSubcommand(sub, SUBCOMMANDS);
    }
  });
}

const COLUMNS: [string, (department: DepartmentRecord) => string][] = [
  ["CODE", (department) => department.code],
  ["NAME (ZH)", (department) => department.nameZh],
  ["NAME (EN)", (department) => department.nameEn],
  ["CREDIT CODE", (department) => department.creditCode ?? "-"],
  ["CREATED", (department) => when(department.createdAt)],
];
