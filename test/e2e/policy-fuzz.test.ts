import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMatterFiles } from "@onecert/catalogue";
import { SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { ageBand, ALLOWANCE, ELDERLY_ALLOWANCE_MATTER_FILE } from "../fixtures/chain/server";
import { accountsOf, PROVIDENT_FUND_MATTER_FILE } from "../fixtures/provident-fund/server";
import { joinDepartments, type JoinedDepartments } from "../support/departments";
import { mattersWith } from "../support/matters";
import { postGraphQL, startTestStack, type TestStack } from "../support/stack";
import { prng, randomOperation, type ScalarPool } from "../support/random-operation";

/**
 * Random documents and variables, valid and invalid, from random callers with random purposes:
 * the gateway must never answer 500 or crash, and no caller may receive a value it is not
 * entitled to (a NOT_SHARED phone, or an ID number, name, address or amount it may only see
 * masked). Besides the four registries the supergraph holds departments' subgraphs joined at run
 * time: one with an interface and FINANCIAL amounts, and a @requires chain across departments,
 * under matters with `Type.*` wildcards; nothing they are sent may carry another department's
 * protected data.
 */

const REQUESTS = Number(process.env.FUZZ_REQUESTS || 5000);
const SEED = Number(process.env.FUZZ_SEED || 20261121);
const CONCURRENCY = 8;

interface Caller {
  name: string;
  key: string | null;
  /** Entitled to every population value in clear (the owning department). */
  population: boolean;
}

let t: TestStack;
let departments: JoinedDepartments;
const matterFiles = mattersWith(PROVIDENT_FUND_MATTER_FILE, ELDERLY_ALLOWANCE_MATTER_FILE);
const callers: Caller[] = [];
const secrets = new Set<string>();
/** Contact data no department's subgraph may be sent (NOT_SHARED phone, CONDITIONAL address). */
const contacts = new Set<string>();
/** Provident fund amounts in clear: FINANCIAL, only ever shown rounded to no one but the centre. */
const amounts = new Set<number>();
const pool: ScalarPool = {};

beforeAll(async () => {
  t = await startTestStack({
    gateway: { supergraph: { kind: "registry", path: SUPERGRAPH_PATH }, mattersDir: matterFiles.dir },
  });
  departments = await joinDepartments(t);
  const { identity, grants } = t.stack.gateway.access;
  const make = async (name: string, role: string, department: string) =>
    (await identity.createClient({ name, role, department } as never)).apiKey;
  const admin = await identity.createClient({
    name: "fuzz-admin",
    role: "admin",
    department: "data-administration-bureau",
  });
  const window = await identity.createClient({
    name: "fuzz-window",
    role: "window",
    department: "government-service-center",
  });
  const requested = await grants.request({
    clientId: window.client.id,
    fields: [
      "Person.realEstate",
      "RealEstate.*",
      "Person.socialInsurance",
      "SocialInsurance.*",
      "Retirement.*",
      "Person.spouse",
    ],
    matters: [
      "subsistence-allowance-review",
      "public-rental-housing",
      "newborn",
      "provident-fund-check",
      "elderly-allowance",
    ],
    clearValues: false,
    validUntil: new Date(Date.now() + 86_400_000),
    reason: "fuzz",
    requestedBy: admin.client.id,
  });
  await grants.approve(requested.id, admin.client.id);
  const revoked = await identity.createClient({
    name: "fuzz-revoked",
    role: "window",
    department: "government-service-center",
  });
  await identity.revokeClient(revoked.client.id);
  callers.push(
    { name: "window", key: window.apiKey, population: false },
    {
      name: "natural-resources",
      key: await make("fuzz-nr", "department", "natural-resources"),
      population: false,
    },
    {
      name: "public-security",
      key: await make("fuzz-ps", "department", "public-security"),
      population: true,
    },
    { name: "auditor", key: await make("fuzz-auditor", "auditor", "audit-office"), population: false },
    { name: "admin", key: admin.apiKey, population: false },
    { name: "revoked", key: revoked.apiKey, population: false },
    { name: "anonymous", key: null, population: false },
    {
      name: "forged",
      key: "oc_key_000000000000000000000000_forgedforgedforgedforgedforgedforged00",
      population: false,
    },
  );

  const persons = await t.stack.db.query<{ id_number: string; name: string; phone: string; address: string }>(
    "SELECT id_number, name, phone, address FROM population.persons",
  );
  for (const p of persons) {
    for (const value of [p.id_number, p.name, p.phone, p.address]) if (value) secrets.add(value);
    for (const value of [p.phone, p.address]) if (value) contacts.add(value);
    for (const account of accountsOf(p.id_number)) {
      amounts.add(account.balance);
      if (account.monthlyDeposit !== undefined) amounts.add(account.monthlyDeposit);
    }
  }
  const households = await t.stack.db.query<{ address: string }>("SELECT address FROM population.households");
  for (const h of households) secrets.add(h.address);
  const units = await t.stack.db.query<{ unit_number: string; certificate_number: string }>(
    "SELECT unit_number, certificate_number FROM property.real_estate LIMIT 50",
  );
  const enterprises = await t.stack.db.query<{ uscc: string }>(
    "SELECT uscc FROM legal_entity.enterprises LIMIT 50",
  );
  // People with provident fund accounts first, so that amounts are served (masked) often.
  const withAccounts = persons.filter((p) => accountsOf(p.id_number).length > 0);
  pool.IdNumber = [
    ...withAccounts.slice(0, 20).map((p) => p.id_number),
    ...persons.slice(0, 40).map((p) => p.id_number),
    "11010519491231002X",
    "110105194912310021",
    "123",
  ];
  pool.USCC = [...enterprises.map((e) => e.uscc), "91350100M000100Y43", "91350100M000100Y44"];
  pool.RealEstateUnitNumber = [...units.map((u) => u.unit_number), "320505400202GB00001F00010069", "XYZ"];
  pool.CertificateNumber = [
    ...units.map((u) => u.certificate_number),
    "苏（2020）南京市不动产权第0001234号",
    "nope",
  ];
  pool.Period = ["202401", "202609", "202613", "999912"];
  pool.Date = ["2024-02-29", "2023-02-29"];
  pool.String = ["H99010100000001", "", "x".repeat(300)];
  pool.Int = [0, 1, -1, 2 ** 31 - 1];
});

afterAll(async () => {
  await departments?.stop();
  await t?.stop();
  matterFiles.cleanup();
});

/** Every string and number in a JSON value. */
function leaves(value: unknown, out: (string | number)[] = []): (string | number)[] {
  if (typeof value === "string" || typeof value === "number") out.push(value);
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) leaves(item, out);
  return out;
}

describe("departments joining with @requires", () => {
  it("refuses a subgraph requiring another department's NOT_SHARED and CONDITIONAL fields", () => {
    expect(departments.refusedWelfare).toMatchObject({ status: 422, code: "OWNERSHIP_CONFLICT" });
    expect(departments.refusedWelfare.message).toMatch(
      /@requires\(Person\.phone\): Person\.phone is NOT_SHARED/,
    );
  });

  it("serves a @requires chain, each field sent to a subgraph named in the audit record", async () => {
    const window = callers.find((caller) => caller.name === "window")!;
    const [person] = await t.stack.db.query<{ id_number: string; birth_date: string }>(
      "SELECT id_number, birth_date::text AS birth_date FROM population.persons ORDER BY birth_date LIMIT 1",
    );
    const reply = await postGraphQL<{ person: { ageBand: string; monthlyAllowance: number } }>(
      t.stack.gateway.url,
      `query($id: IdNumber!) { person(idNumber: $id) { ageBand monthlyAllowance } }`,
      { id: person.id_number },
      {
        authorization: `Bearer ${window.key}`,
        "x-matter-code": "elderly-allowance",
        "x-operator-id": "clerk-1",
      },
    );
    expect(reply.errors).toBeUndefined();
    const band = ageBand(person.birth_date);
    expect(reply.data!.person).toEqual({ ageBand: band, monthlyAllowance: ALLOWANCE[band] });
    const [record] = await t.stack.gateway.audit!.store.db.query<{ sent: string[] }>(
      "SELECT sent FROM audit.records WHERE request_id = $1",
      [reply.headers.get("x-request-id")],
    );
    // The keys are sent too: they are what an entity is asked by.
    expect(record.sent).toEqual([
      "allowance Person.ageBand",
      "allowance Person.idNumber",
      "elderly-care Person.birthDate",
      "elderly-care Person.idNumber",
    ]);
  });
});

describe("policy fuzz", () => {
  it(`${REQUESTS} random requests: no 500, no crash, no value a caller may not see`, async () => {
    const schema = t.stack.gateway.schema()!;
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const matters = [
      "subsistence-allowance-review",
      "public-rental-housing",
      "household-registration",
      "enterprise-change",
      "newborn",
      "provident-fund-check",
      "elderly-allowance",
      "nope",
      null,
    ];
    // Mostly well-formed operators, so that most requests reach the policy rather than the edge.
    const operators = ["clerk-1", "clerk-1", "clerk-2", null, "bad operator!"];
    const catalogue = readMatterFiles(matterFiles.dir).catalogue;
    const jobs = Array.from({ length: REQUESTS }, () => {
      const matter = pick(matters);
      const declared = matter ? catalogue.get(matter) : undefined;
      const prefer = declared
        ? (type: string, field: string) => catalogue.allows(declared, type, field)
        : undefined;
      return {
        caller: pick(callers),
        matter,
        operator: pick(operators),
        operation: randomOperation(schema, pool, random, prefer),
      };
    });
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    let served = 0;
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const headers: Record<string, string> = {};
        if (job.caller.key) headers.authorization = `Bearer ${job.caller.key}`;
        if (job.matter) headers["x-matter-code"] = job.matter;
        if (job.operator) headers["x-operator-id"] = job.operator;
        const reply = await postGraphQL(
          t.stack.gateway.url,
          job.operation.query,
          job.operation.variables,
          headers,
        );
        const found = reply.errors?.[0]?.extensions?.code;
        const code = typeof found === "string" ? found : reply.errors ? "NO_CODE" : "OK";
        outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
        const where = `${job.caller.name} ${job.matter} ${job.operation.query.slice(0, 200)}`;
        if (reply.status >= 500) failures.push(`HTTP ${reply.status}: ${where}`);
        if (JSON.stringify(reply).includes("stacktrace")) failures.push(`stack trace: ${where}`);
        if (code === "FORBIDDEN" && reply.data) failures.push(`data with a denial: ${where}`);
        if (!job.caller.population) {
          if (reply.data && Object.values(reply.data).some((v) => v !== null)) served += 1;
          const asked = JSON.stringify(job.operation);
          for (const value of leaves(reply.data)) {
            if (typeof value === "number" ? amounts.has(value) : secrets.has(value) && !asked.includes(value))
              failures.push(`leaked "${value}" to ${where}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // What the gateway sent the departments' subgraphs (representations for @requires included).
    for (const subgraph of departments.subgraphs)
      for (const body of subgraph.bodies())
        for (const value of contacts)
          if (body.includes(value)) failures.push(`sent "${value}" to a department: ${body.slice(0, 200)}`);
    const health = await fetch(t.stack.gateway.url.replace(/\/graphql$/, "/health"));
    expect(health.status).toBe(200);
    expect(failures.slice(0, 10)).toEqual([]);
    // The mix must have exercised both sides: data served and requests refused for each reason.
    expect(served, "requests answered with registry data for callers without clear rights").toBeGreaterThan(
      REQUESTS / 200,
    );
    const asked = jobs.map((job) => job.operation.query).join("\n");
    for (const field of ["providentFund", "... on DepositAccount", "monthlyAllowance", "ageBand"])
      expect(asked, `random operations select ${field}`).toContain(field);
    expect(departments.subgraphs.every((subgraph) => subgraph.requests() > 0)).toBe(true);
    for (const code of [
      "OK",
      "FORBIDDEN",
      "UNAUTHENTICATED",
      "BAD_USER_INPUT",
      "GRAPHQL_VALIDATION_FAILED",
    ]) {
      expect(outcomes.get(code) ?? 0, `${code} in ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
    }
  }, 600_000);
});
