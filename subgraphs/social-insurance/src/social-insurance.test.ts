import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingStatements, type GraphQLReply } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { socialInsurance as def } from "./index";

const WORLD = { persons: 2000, asOf: "202609" };

type Entities<Entity> = GraphQLReply<{ _entities: (Entity | null)[] }>;

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry(def, WORLD);
}, 180_000);

afterAll(() => registry?.stop());

/** POSTs `_entities` for the representations with `selection` on `typename`; `$asOf` is declared. */
function entities<Entity>(
  typename: "Person" | "Enterprise",
  keys: string[],
  selection: string,
  asOf?: string,
): Promise<Entities<Entity>> {
  const key = typename === "Person" ? "idNumber" : "uscc";
  const usesAsOf = selection.includes("$asOf");
  const query = `query ($representations: [_Any!]!${usesAsOf ? ", $asOf: Period" : ""}) {
    _entities(representations: $representations) { ... on ${typename} { ${selection} } }
  }`;
  const representations = keys.map((id) => ({ __typename: typename, [key]: id }));
  return registry.post(query, { representations, ...(usesAsOf ? { asOf } : {}) });
}

const ACCOUNT = `socialInsurance {
  enrolments { type code status enrolledOn employer { uscc } }
  contributions(type: EMPLOYEE_PENSION, from: "202501") { period type code base employerAmount paymentStatus }
  consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: $asOf)
  lastPaidPeriod(type: EMPLOYEE_PENSION)
  retirement { retired retiredOn pensionStatus monthlyPension }
}`;

interface Account {
  enrolments: Record<string, unknown>[];
  contributions: { period: string; type: string; code: string }[];
  consecutiveContributionMonths: number;
  lastPaidPeriod: string | null;
  retirement: {
    retired: boolean;
    retiredOn: string | null;
    pensionStatus: string | null;
    monthlyPension: number | null;
  };
}

async function accountsOf(idNumbers: string[]): Promise<Account[]> {
  const result = await entities<{ socialInsurance: Account }>("Person", idNumbers, ACCOUNT, WORLD.asOf);
  expect(result.errors).toBeUndefined();
  return result.data!._entities.map((entity) => entity!.socialInsurance);
}

const accountOf = async (sample: string): Promise<Account> =>
  (await accountsOf([registry.sample(sample)]))[0];

describe("social-insurance registry", () => {
  it("counts 12+ consecutive pension months for a person contributing all year", async () => {
    const account = await accountOf("person-no-home-12-months");
    expect(account.consecutiveContributionMonths).toBeGreaterThanOrEqual(12);
    expect(account.lastPaidPeriod).toBe(WORLD.asOf);
    expect(account.enrolments).toContainEqual(
      expect.objectContaining({ type: "EMPLOYEE_PENSION", code: "110" }),
    );
    const periods = account.contributions.map((c) => c.period);
    expect(periods).toEqual([...periods].sort().reverse());
    expect(periods.every((period) => period >= "202501")).toBe(true);
    expect(account.contributions.every((c) => c.type === "EMPLOYEE_PENSION" && c.code === "110")).toBe(true);
  });

  it("counts fewer than 12 months for a short contributor", async () => {
    expect(
      (await accountOf("person-no-home-short-contributions")).consecutiveContributionMonths,
    ).toBeLessThan(12);
  });

  it("reports a retiree receiving a pension", async () => {
    const { retirement } = await accountOf("person-retired");
    expect(retirement).toMatchObject({ retired: true, pensionStatus: "RECEIVING" });
    expect(retirement.retiredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(retirement.monthlyPension).toBeGreaterThan(0);
  });

  it("gives an uninsured person empty lists, not null", async () => {
    expect(await accountOf("person-no-insurance")).toEqual({
      enrolments: [],
      contributions: [],
      consecutiveContributionMonths: 0,
      lastPaidPeriod: null,
      retirement: { retired: false, retiredOn: null, pensionStatus: null, monthlyPension: null },
    });
  });

  it("counts an active enterprise's insured employees", async () => {
    const result = await entities<{ insuredEmployees: { count: number; asOf: string } }>(
      "Enterprise",
      [registry.sample("enterprise-active")],
      "insuredEmployees(type: EMPLOYEE_PENSION, asOf: $asOf) { count asOf }",
      WORLD.asOf,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities[0]!.insuredEmployees.asOf).toBe(WORLD.asOf);
    expect(result.data!._entities[0]!.insuredEmployees.count).toBeGreaterThanOrEqual(3);
  });

  it("reads each table once per request, whatever the number of persons", async () => {
    const ids = (
      await registry.db.query<{ id: string }>(
        `SELECT DISTINCT id_number AS id FROM social_insurance.contributions LIMIT 50`,
      )
    ).map((row) => row.id);
    expect(ids).toHaveLength(50);
    const five = await countingStatements(registry.db, () => accountsOf(ids.slice(0, 5)));
    const fifty = await countingStatements(registry.db, () => accountsOf(ids));
    expect(fifty.result.some((account) => account.contributions.length > 0)).toBe(true);
    expect(five.statements).toHaveLength(3);
    expect(fifty.statements).toHaveLength(five.statements.length);
  });

  it("counts the head counts of many employers in one statement", async () => {
    const expected = await registry.db.query<{ uscc: string; count: number }>(
      `SELECT employer_uscc AS uscc, count(DISTINCT id_number) AS count FROM social_insurance.contributions
        WHERE insurance_type = '310' AND period = $1 AND payment_status IN ('PAID', 'BACK_PAID')
          AND employer_uscc IS NOT NULL
        GROUP BY employer_uscc ORDER BY employer_uscc LIMIT 20`,
      [WORLD.asOf],
    );
    // A valid code that employs nobody here counts zero rather than failing.
    expected.push({ uscc: "91350100M000100Y43", count: 0 });
    const selection = "insuredEmployees(type: EMPLOYEE_MEDICAL, asOf: $asOf) { count }";
    const usccs = expected.map((row) => row.uscc);
    const { result, statements } = await countingStatements(registry.db, () =>
      entities<{ insuredEmployees: { count: number } }>("Enterprise", usccs, selection, WORLD.asOf),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((entity) => entity!.insuredEmployees.count)).toEqual(
      expected.map((row) => row.count),
    );
    expect(statements).toHaveLength(1);
  });

  it.each([
    [
      "a malformed period literal",
      `socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: "202613") }`,
    ],
    [
      "a malformed period variable",
      `socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: $asOf) }`,
      "202613",
    ],
    [
      "an asOf in the future",
      `socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: $asOf) }`,
      "209912",
    ],
    ["from after to", `socialInsurance { contributions(from: "202606", to: "202601") { period } }`],
  ])("rejects %s as BAD_USER_INPUT without reading", async (_name, selection, asOf?: string) => {
    const valid = registry.sample("person-no-home-12-months");
    const { result, statements } = await countingStatements(registry.db, () =>
      entities("Person", [valid], selection, asOf),
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("rejects an employer head count for a month that has not begun", async () => {
    const selection = "insuredEmployees(type: EMPLOYEE_PENSION, asOf: $asOf) { count }";
    const result = await entities("Enterprise", [registry.sample("enterprise-active")], selection, "209912");
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rejects a representation whose key is malformed, and only that one", async () => {
    const valid = registry.sample("person-no-home-12-months");
    const result = await entities<{ socialInsurance: { lastPaidPeriod: string | null } }>(
      "Person",
      ["110105194912310021", valid],
      "socialInsurance { lastPaidPeriod(type: EMPLOYEE_PENSION) }",
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ["_entities", 0],
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(result.data?._entities[0]).toBeNull();
    expect(result.data?._entities[1]?.socialInsurance.lastPaidPeriod).toBe(WORLD.asOf);
  });
});
