import { makeUscc, migrate, Refusal, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMatterCatalogue, type Matter } from "../matters";
import {
  closestDepartment,
  createDepartmentStore,
  departmentMigrations,
  DEPARTMENTS_SCHEMA,
  editDistance,
  SHIPPED_DEPARTMENTS,
  type DepartmentStore,
} from "./index";

let db: Db;
let store: DepartmentStore;
const at = new Date("2030-01-01T00:00:00Z");
const CREDIT = makeUscc("1", "1", "320100", "MB0000001");

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, DEPARTMENTS_SCHEMA, departmentMigrations);
  store = createDepartmentStore(db, { now: () => at });
});
afterAll(() => db.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error,
  );

const tax = { code: "taxation", nameZh: "税务局", nameEn: "Taxation Bureau", createdBy: "cl_admin" };

describe("departments store", () => {
  it("seeds the shipped departments once, however often it runs", async () => {
    expect(await store.seed(SHIPPED_DEPARTMENTS)).toHaveLength(SHIPPED_DEPARTMENTS.length);
    expect(await store.seed(SHIPPED_DEPARTMENTS)).toEqual([]);
    const listed = await store.list();
    expect(listed.map((department) => department.code)).toEqual(
      SHIPPED_DEPARTMENTS.map((department) => department.code).sort(),
    );
    expect(await store.get("public-security")).toEqual({
      code: "public-security",
      nameZh: "公安局",
      nameEn: "Public Security Bureau",
      creditCode: null,
      contact: null,
      createdAt: at,
      createdBy: "system",
    });
    expect(await store.get("nope")).toBeNull();
  });

  it("adds a department with a valid credit code, once", async () => {
    const added = await store.add({ ...tax, creditCode: CREDIT, contact: "科技处 025-0000" });
    expect(added).toMatchObject({ code: "taxation", creditCode: CREDIT, contact: "科技处 025-0000" });
    expect(await store.get("taxation")).toEqual(added);
    const again = await failure(store.add({ ...tax, creditCode: makeUscc("1", "1", "320100", "MB0000002") }));
    expect(again).toMatchObject({ code: "DEPARTMENT_EXISTS", status: 409 });
    const sameCode = await failure(store.add({ ...tax, code: "tax-office", creditCode: CREDIT }));
    expect(sameCode).toMatchObject({
      code: "DEPARTMENT_EXISTS",
      message: expect.stringContaining("taxation"),
    });
  });

  it("gives a seeded department its credit code, keeps what a change does not name, refuses another's code", async () => {
    await store.seed(SHIPPED_DEPARTMENTS);
    const [seeded] = SHIPPED_DEPARTMENTS;
    expect((await store.get(seeded.code))?.creditCode).toBeNull();
    const noCode = await failure(store.update(seeded.code, { contact: "办公室" }));
    expect(noCode).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("creditCode") });
    const own = makeUscc("1", "1", "320100", "MB0000009");
    const changed = await store.update(seeded.code, { creditCode: own, contact: "办公室" });
    expect(changed).toMatchObject({
      code: seeded.code,
      nameZh: seeded.nameZh,
      creditCode: own,
      contact: "办公室",
    });
    const renamed = await store.update(seeded.code, { nameEn: "Renamed Bureau" });
    expect(renamed).toMatchObject({
      nameZh: seeded.nameZh,
      nameEn: "Renamed Bureau",
      creditCode: own,
      contact: "办公室",
    });
    expect(await failure(store.update(seeded.code, { creditCode: CREDIT }))).toMatchObject({
      code: "DEPARTMENT_EXISTS",
      message: expect.stringContaining("taxation"),
    });
    expect(await failure(store.update(seeded.code, {}))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(store.update("no-such-bureau", { nameEn: "X" }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses a bad credit code with the validator's reason, and bad codes and names", async () => {
    const wrongCheck = CREDIT.slice(0, 17) + (CREDIT.endsWith("0") ? "1" : "0");
    const cases: [Record<string, unknown>, string][] = [
      [{ creditCode: wrongCheck }, "creditCode: check character"],
      [{ creditCode: "12345" }, "creditCode: unified social credit code must be 18 characters"],
      [{ creditCode: CREDIT.toLowerCase() }, "creditCode: character"],
      [{ code: "Tax Office" }, "code must be a lowercase slug"],
      [{ nameZh: "  " }, "nameZh must be 1 to 100 characters"],
      [{ contact: "x".repeat(201) }, "contact must be 1 to 200 characters"],
    ];
    for (const [change, message] of cases) {
      const error = await failure(store.add({ ...tax, code: "other", creditCode: CREDIT, ...change }));
      expect(error, message).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(message),
      });
    }
  });

  it("refuses an unknown department with UNKNOWN_DEPARTMENT, suggesting a close one", async () => {
    await expect(store.require("civil-affairs")).resolves.toBeUndefined();
    const typo = await failure(store.require("civil-afairs"));
    expect(typo).toBeInstanceOf(Refusal);
    expect(typo).toMatchObject({
      code: "UNKNOWN_DEPARTMENT",
      message:
        'department "civil-afairs" is not in the departments directory (did you mean "civil-affairs"?)',
      details: { department: "civil-afairs", suggestion: "civil-affairs" },
    });
    const far = await failure(store.require("weather"));
    expect(far).toMatchObject({ code: "UNKNOWN_DEPARTMENT", details: { suggestion: null } });
    expect(far?.message).toContain("onecert department add");
  });

  it("names each matter file whose department or admitted departments are unknown", async () => {
    const matter = (code: string, department: string, admitted: string[]): Matter => ({
      code,
      name: { zh: code, en: code },
      department,
      fields: ["Person.name"],
      pendingFields: [],
      admits: { departments: [department, ...admitted], roles: ["window"] },
      restricted: false,
      file: `/m/${code}.yaml`,
      extra: {},
    });
    const catalogue = createMatterCatalogue([
      matter("fine", "civil-affairs", ["*"]),
      matter("typo", "public-securty", ["government-service-center", "weather"]),
    ]);
    expect(await store.matterProblems(catalogue.list())).toEqual([
      '/m/typo.yaml: department: department "public-securty" is not in the departments directory (did you mean "public-security"?)',
      '/m/typo.yaml: admits.departments: department "weather" is not in the departments directory; add it first (onecert department add)',
    ]);
  });
});

describe("closestDepartment", () => {
  it("suggests within two edits only, the closest first", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestDepartment("public-securty", ["public-security", "civil-affairs"])).toBe("public-security");
    expect(closestDepartment("civil", ["civil-affairs"])).toBeUndefined();
    expect(closestDepartment("taxs", ["tax", "taxes"])).toBe("tax");
  });
});
