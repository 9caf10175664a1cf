import { Refusal } from "@onecert/subgraph-kit";
import { MAX_DEPARTMENT_CONTACT, MAX_DEPARTMENT_NAME } from "@onecert/access";
import type { DepartmentStore, Role } from "@onecert/access";
import { z } from "zod";
import { object, optionalText, text } from "./fields";
import { departmentRecord } from "./models";
import { route, type AdminRoute } from "./types";

const tag = "departments";
/** Everyone who names departments reads the directory; only admins add to it. */
const READ: readonly Role[] = ["admin", "department", "auditor"];

const newDepartment = object({
  code: text(64),
  nameZh: text(MAX_DEPARTMENT_NAME),
  nameEn: text(MAX_DEPARTMENT_NAME),
  creditCode: text(18).meta({ description: "18-character unified social credit code (GB 32100)" }),
  contact: optionalText(MAX_DEPARTMENT_CONTACT),
});

const departmentChange = object({
  nameZh: optionalText(MAX_DEPARTMENT_NAME),
  nameEn: optionalText(MAX_DEPARTMENT_NAME),
  creditCode: optionalText(18).meta({ description: "18-character unified social credit code (GB 32100)" }),
  contact: optionalText(MAX_DEPARTMENT_CONTACT),
});

/** The admin endpoints of the departments directory. */
export function departmentRoutes(departments: DepartmentStore): AdminRoute[] {
  return [
    route({
      method: "GET",
      pattern: "/departments",
      roles: READ,
      tag,
      summary: "List the departments directory, by code",
      schema: { response: z.array(departmentRecord) },
      handle: async () => ({ status: 200, body: await departments.list() }),
    }),
    route({
      method: "GET",
      pattern: "/departments/:code",
      roles: READ,
      tag,
      summary: "One department",
      schema: { response: departmentRecord },
      async handle({ params }) {
        const department = await departments.get(params.code);
        if (!department) throw new Refusal("NOT_FOUND", `department ${params.code} not found`);
        return { status: 200, body: department };
      },
    }),
    route({
      method: "POST",
      pattern: "/departments",
      roles: ["admin"],
      tag,
      summary: "Add a department (DEPARTMENT_EXISTS when its code or credit code is taken)",
      schema: { body: newDepartment, response: departmentRecord },
      async handle({ body, client }) {
        return { status: 201, body: await departments.add({ ...body, createdBy: client.id }) };
      },
    }),
    route({
      method: "POST",
      pattern: "/departments/:code",
      roles: ["admin"],
      tag,
      summary: "Change a department's names, credit code or contact (the code stays)",
      schema: { body: departmentChange, response: departmentRecord },
      async handle({ params, body }) {
        return { status: 200, body: await departments.update(params.code, body) };
      },
    }),
  ];
}
