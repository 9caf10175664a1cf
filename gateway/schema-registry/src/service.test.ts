import { Refusal, ROOT, SCHEMA_DIR, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { catalogueProblems, readCatalogueDirs, readMatterFiles } from "@onecert/catalogue";
import type { CheckReport } from "./check";
import type { ChangeRequest } from "./service";
import { actor, testRegistry, type TestRegistry } from "./testing";

let db: Db;
let registry: TestRegistry;
const civil = actor("department", "civil-affairs");
const MARRIAGE_URL = "http://127.0.0.1:1/marriage";
// The civil-affairs subgraph of the department walkthrough (test/fixtures/marriage).
const marriageSdl = (variant = "schema") =>
  readFileSync(join(ROOT, "test", "fixtures", "marriage", `${variant}.graphql`), "utf8");
const register: ChangeRequest = {
  kind: "register",
  subgraph: { name: "marriage", department: "civil-affairs", url: MARRIAGE_URL, sdl: marriageSdl() },
};
const update = (sdl: string): ChangeRequest => ({ kind: "update", subgraph: { name: "marriage", sdl } });

async function refusal(work: Promise<unknown>): Promise<Refusal> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

beforeAll(async () => {
  db = await openTestDb();
  registry = await testRegistry(db, {
    matters: readMatterFiles(join(SCHEMA_DIR, "matters")).catalogue,
    catalogue: (sdl) =>
      catalogueProblems(
        readCatalogueDirs({
          certificatesDir: join(SCHEMA_DIR, "certificates"),
          mattersDir: join(SCHEMA_DIR, "matters"),
        }),
        sdl,
      ),
  });
});
afterAll(async () => {
  await registry.close();
  await db.close();
});

describe("registry service", () => {
  it("starts from the bootstrapped version 1", async () => {
    const current = await registry.store.current();
    expect(current!.version).toBe(1);
    expect(current!.members.map((member) => [member.name, member.sdlVersion])).toEqual([
      ["population", 1],
      ["legal-entity", 1],
      ["property", 1],
      ["social-insurance", 1],
    ]);
    expect(current!.apiSdl).toMatch(/type Person/);
  });

  it("lets a department client manage only its own department's subgraphs", async () => {
    const foreign = { ...register, subgraph: { ...register.subgraph, department: "public-security" } };
    expect((await refusal(registry.service.publish(foreign as ChangeRequest, civil))).status).toBe(403);
    const takeover: ChangeRequest = { kind: "update", subgraph: { name: "population", url: MARRIAGE_URL } };
    expect((await refusal(registry.service.publish(takeover, civil))).code).toBe("FORBIDDEN");
    expect((await refusal(registry.service.check(register, actor("window")))).status).toBe(403);
    expect(await registry.store.latestVersion()).toBe(1);
  });

  it("registers a new department's subgraph, its @share rules stamped with the department", async () => {
    const report = await registry.service.check(register, civil);
    expect(report).toMatchObject({
      ok: true,
      composes: true,
      changes: [],
      breaking: [],
      ownershipConflicts: [],
    });
    const result = await registry.service.publish(register, civil);
    expect(result.published).toBe(true);
    expect(result.version).toMatchObject({
      version: 2,
      action: "register",
      subgraph: "marriage",
      override: false,
    });
    expect(result.version.actor).toEqual(civil);
    const [sdl] = await registry.store.sdlVersions("marriage");
    expect(sdl.sdl).toMatch(
      /registrationOffice: String! @share\(owner: "civil-affairs", level: "NOT_SHARED"\)/,
    );
    const again = await refusal(registry.service.publish(register, civil));
    expect(again.code).toBe("ALREADY_REGISTERED");
  });

  it("publishes nothing when an update changes nothing", async () => {
    const result = await registry.service.publish(update(marriageSdl()), civil);
    expect(result).toMatchObject({ published: false, version: { version: 2 } });
  });

  it("rejects a change that does not compose, with the composition errors, and stores nothing", async () => {
    const report = await registry.service.check(update(marriageSdl("broken")), civil);
    expect(report.composes).toBe(false);
    expect(report.compositionErrors.join("\n")).toMatch(/Person\.name/);
    const error = await refusal(registry.service.publish(update(marriageSdl("broken")), civil));
    expect(error).toMatchObject({ status: 422, code: "COMPOSITION_FAILED" });
    expect((error.details as CheckReport).compositionErrors.length).toBeGreaterThan(0);
    expect(await registry.store.latestVersion()).toBe(2);
    expect(await registry.store.sdlVersions("marriage")).toHaveLength(1);
  });

  it("lets a removal of a field nobody used through, listing it as a change", async () => {
    const report = await registry.service.check(update(marriageSdl("breaking")), civil);
    expect(report.ok).toBe(true);
    expect(report.changes).toEqual([
      {
        field: "Marriage.registeredOn",
        kind: "FIELD_REMOVED",
        description: "Marriage.registeredOn was removed",
      },
    ]);
  });

  it("ignores usage older than the window", async () => {
    registry.usage.record("cl_old", ["Marriage.registeredOn"], new Date(Date.now() - 40 * 86_400_000));
    const report = await registry.service.check(update(marriageSdl("breaking")), civil);
    expect(report.breaking).toEqual([]);
  });

  it("reports a change to a field used within the window as breaking, with its clients, and needs an override", async () => {
    registry.usage.record("cl_window", ["Query.person", "Person.marriage", "Marriage.registeredOn"]);
    registry.usage.record("cl_window", ["Marriage.registeredOn"]);
    registry.usage.record("anonymous", ["Marriage.registeredOn"]);
    const report = await registry.service.check(update(marriageSdl("breaking")), civil);
    expect(report.ok).toBe(false);
    expect(report.breaking).toHaveLength(1);
    expect(report.breaking[0].field).toBe("Marriage.registeredOn");
    expect(report.breaking[0].clients.map((c) => [c.clientId, c.name, c.requests])).toEqual([
      ["cl_window", "name of cl_window", 2],
      ["anonymous", null, 1],
    ]);
    const refused = await refusal(registry.service.publish(update(marriageSdl("breaking")), civil));
    expect(refused).toMatchObject({ status: 409, code: "BREAKING_CHANGE" });
    expect(refused.message).toMatch(/Marriage\.registeredOn \(used by name of cl_window, anonymous\)/);
    const noReason = registry.service.publish(update(marriageSdl("breaking")), civil, { override: true });
    expect((await refusal(noReason)).status).toBe(400);
    const forced = await registry.service.publish(update(marriageSdl("breaking")), civil, {
      override: true,
      reason: "moved to the certificate",
    });
    expect(forced.version).toMatchObject({ version: 3, override: true, reason: "moved to the certificate" });
    expect(forced.version.breaking[0].field).toBe("Marriage.registeredOn");
  });

  it("rolls back to an earlier version, and refuses an unknown one", async () => {
    const rolled = await registry.service.publish({ kind: "rollback", version: 2 }, civil);
    expect(rolled.version).toMatchObject({ version: 4, action: "rollback", rollbackOf: 2, subgraph: null });
    const [two, four] = [await registry.store.version(2), await registry.store.version(4)];
    expect(four!.supergraphSdl).toBe(two!.supergraphSdl);
    expect(four!.members).toEqual(two!.members);
    expect((await refusal(registry.service.publish({ kind: "rollback", version: 99 }, civil))).status).toBe(
      404,
    );
    // Back to version 1 removes marriage, which only civil affairs (or an admin) may do.
    const security = actor("department", "public-security");
    expect((await refusal(registry.service.publish({ kind: "rollback", version: 1 }, security))).status).toBe(
      403,
    );
  });

  it("never lets a newcomer re-rule another department's data", async () => {
    const typeRule = marriageSdl().replace(
      'type Person @key(fields: "idNumber") {',
      'type Person @key(fields: "idNumber") @share(level: "UNCONDITIONAL") {',
    );
    const report = await registry.service.check(update(typeRule), civil);
    expect(report.ownershipConflicts.some((conflict) => conflict.startsWith("Person.sex:"))).toBe(true);
    const error = await refusal(registry.service.publish(update(typeRule), civil));
    expect(error).toMatchObject({ status: 422, code: "OWNERSHIP_CONFLICT" });
    const foreignOwner = marriageSdl().replace(
      '@share(level: "NOT_SHARED")',
      '@share(owner: "x", level: "NOT_SHARED")',
    );
    expect(await refusal(registry.service.publish(update(foreignOwner), civil))).toMatchObject({
      code: "INVALID_SDL",
    });
  });

  it("never lets a newcomer take over resolving another department's field", async () => {
    const takeover = marriageSdl()
      .replace('import: ["@key", "@composeDirective"]', 'import: ["@key", "@composeDirective", "@override"]')
      .replace(
        "  idNumber: IdNumber!\n",
        '  idNumber: IdNumber!\n  name: String! @override(from: "population")\n',
      );
    const report = await registry.service.check(update(takeover), civil);
    expect(report.composes).toBe(true);
    expect(report.ownershipConflicts).toEqual([
      "Person.name: owned by public-security, would be resolved by marriage",
    ]);
    const admin = actor("admin", "data");
    expect(await refusal(registry.service.publish(update(takeover), admin))).toMatchObject({
      code: "OWNERSHIP_CONFLICT",
    });
  });

  it("removes a subgraph, publishing the removal of used fields only with an override", async () => {
    registry.usage.record("cl_window", ["Person.marriage"]);
    const remove: ChangeRequest = { kind: "remove", name: "marriage" };
    expect((await refusal(registry.service.publish(remove, civil))).code).toBe("BREAKING_CHANGE");
    const removed = await registry.service.publish(remove, civil, { override: true, reason: "retired" });
    expect(removed.version.members.map((member) => member.name)).not.toContain("marriage");
    expect((await refusal(registry.service.publish(remove, civil))).status).toBe(404);
  });

  it("refuses a change that would break a certificate check, though every field stays", async () => {
    const property = (await registry.store.current())!.members.find((member) => member.name === "property")!;
    const sdl = (await registry.store.sdls([property.sdlId])).get(property.sdlId)!.sdl;
    // A required argument: the field is still there for the matters, but the check's operation no longer validates.
    const withArgument = sdl.replace(/\n(\s*)seized: Boolean!/, "\n$1seized(asOf: Date!): Boolean!");
    expect(withArgument).toMatch(/seized\(asOf: Date!\)/);
    const change: ChangeRequest = { kind: "update", subgraph: { name: "property", sdl: withArgument } };
    const report = await registry.service.check(change, actor("admin", "data"));
    expect(report.matterConflicts).toEqual([]);
    expect(report.catalogueConflicts.some((problem) => /seizure-free\.yaml/.test(problem))).toBe(true);
    expect(report.ok).toBe(false);
    const error = await refusal(
      registry.service.publish(change, actor("admin", "data"), { override: true, reason: "x" }),
    );
    expect(error).toMatchObject({ status: 409, code: "CATALOGUE_CONFLICT" });
  });

  it("refuses to remove a field a matter declares, since the gateway could not start with it", async () => {
    const population = (await registry.store.current())!.members.find(
      (member) => member.name === "population",
    )!;
    const sdl = (await registry.store.sdls([population.sdlId])).get(population.sdlId)!.sdl;
    const withoutSpouse = sdl.replace(
      /\n\s*"""The spouse when married as recorded\."""\n\s*spouse: Person[^\n]*/,
      "",
    );
    expect(withoutSpouse).not.toMatch(/spouse: Person/);
    const change: ChangeRequest = { kind: "update", subgraph: { name: "population", sdl: withoutSpouse } };
    const report = await registry.service.check(change, actor("admin", "data"));
    expect(report.matterConflicts.some((conflict) => /newborn\.yaml: Person\.spouse/.test(conflict))).toBe(
      true,
    );
    const error = await refusal(
      registry.service.publish(change, actor("admin", "data"), { override: true, reason: "x" }),
    );
    expect(error).toMatchObject({ status: 409, code: "MATTER_CONFLICT" });
  });

  it("publishes racing changes one after the other, losing neither", async () => {
    const admin = actor("admin", "data");
    const contact = (name: string, value: string): ChangeRequest => ({
      kind: "update",
      subgraph: { name, contact: value },
    });
    const before = await registry.store.latestVersion();
    await Promise.all([
      registry.service.publish(contact("population", "desk A"), admin),
      registry.service.publish(contact("property", "desk B"), admin),
    ]);
    const current = await registry.store.current();
    expect(current!.version).toBe(before + 2);
    const contacts = Object.fromEntries(current!.members.map((member) => [member.name, member.contact]));
    expect(contacts).toMatchObject({ population: "desk A", property: "desk B" });
  });
});
