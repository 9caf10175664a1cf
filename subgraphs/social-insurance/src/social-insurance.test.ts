import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  migrate,
  openDb,
  samples,
  seedRegistries,
  startRegistry,
  type Db,
  type RunningService,
} from "@onecert/subgraph-kit";
import { socialInsurance as def } from "./index";

const WORLD = { persons: 2000, asOf: "202609" };

interface GraphQLResponse<Data> {
  data?: Data;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let db: Db;
let service: RunningService;

async function post<Data>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(service.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** Runs `fn` and returns the statements it sent to the database. */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const stop = db.onStatement((sql) => statements.push(sql));
  try {
    await fn();
  } finally {
    stop();
  }
  return statements;
}

const person = (idNumber: string) => ({ __typename: "Person", idNumber });

function sampleId(name: string): string {
  const sample = samples(WORLD).find((candidate) => candidate.case === name);
  if (!sample) throw new Error(`no sample ${name}`);
  return sample.id;
}

const PERSON_QUERY = `query ($representations: [_Any!]!, $asOf: Period) {
  _entities(representations: $representations) {
    ... on Person {
      idNumber
      socialInsurance {
        enrolments { type code status enrolledOn employer { uscc } }
        contributions(type: EMPLOYEE_PENSION, from: "202501") { period type code base employerAmount paymentStatus }
        consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: $asOf)
        lastPaidPeriod(type: EMPLOYEE_PENSION)
        retirement { retired retiredOn pensionStatus monthlyPension }
      }
    }
  }
}`;

interface SocialInsuranceData {
  enrolments: {
    type: string;
    code: string;
    status: string;
    enrolledOn: string;
    employer: { uscc: string } | null;
  }[];
  contributions: { period: string; type: string; code: string; paymentStatus: string }[];
  consecutiveContributionMonths: number;
  lastPaidPeriod: string | null;
  retirement: {
    retired: boolean;
    retiredOn: string | null;
    pensionStatus: string | null;
    monthlyPension: number | null;
  };
}
type PersonEntities = { _entities: { idNumber: string; socialInsurance: SocialInsuranceData }[] };

async function socialInsuranceOf(idNumbers: string[], asOf = WORLD.asOf): Promise<SocialInsuranceData[]> {
  const result = await post<PersonEntities>(PERSON_QUERY, { representations: idNumbers.map(person), asOf });
  expect(result.errors).toBeUndefined();
  return result.data!._entities.map((entity) => entity.socialInsurance);
}

beforeAll(async () => {
  db = openDb();
  await migrate(db, def.dbSchema, def.migrations);
  await seedRegistries(db, [def], WORLD);
  service = await startRegistry({ definition: def, db, port: 0 });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await db?.close();
});

describe("social-insurance registry", () => {
  it("counts 12+ consecutive pension months for a person contributing all year", async () => {
    const [account] = await socialInsuranceOf([sampleId("person-no-home-12-months")]);
    expect(account!.consecutiveContributionMonths).toBeGreaterThanOrEqual(12);
    expect(account!.lastPaidPeriod).toBe(WORLD.asOf);
    expect(account!.enrolments.some((e) => e.type === "EMPLOYEE_PENSION" && e.code === "110")).toBe(true);
    const periods = account!.contributions.map((c) => c.period);
    expect(periods).toEqual([...periods].sort().reverse());
    expect(periods.every((period) => period >= "202501")).toBe(true);
    expect(account!.contributions.every((c) => c.type === "EMPLOYEE_PENSION" && c.code === "110")).toBe(true);
  });

  it("counts fewer than 12 months for a short contributor", async () => {
    const [account] = await socialInsuranceOf([sampleId("person-no-home-short-contributions")]);
    expect(account!.consecutiveContributionMonths).toBeLessThan(12);
  });

  it("reports a retiree receiving a pension", async () => {
    const [account] = await socialInsuranceOf([sampleId("person-retired")]);
    expect(account!.retirement).toMatchObject({ retired: true, pensionStatus: "RECEIVING" });
    expect(account!.retirement.retiredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(account!.retirement.monthlyPension).toBeGreaterThan(0);
  });

  it("gives an uninsured person empty lists, not null", async () => {
    const [account] = await socialInsuranceOf([sampleId("person-no-insurance")]);
    expect(account).toEqual({
      enrolments: [],
      contributions: [],
      consecutiveContributionMonths: 0,
      lastPaidPeriod: null,
      retirement: { retired: false, retiredOn: null, pensionStatus: null, monthlyPension: null },
    });
  });

  it("counts an active enterprise's insured employees", async () => {
    const uscc = sampleId("enterprise-active");
    const result = await post<{ _entities: { insuredEmployees: { count: number; asOf: string } }[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Enterprise { insuredEmployees(type: EMPLOYEE_PENSION, asOf: "${WORLD.asOf}") { count asOf } }
        }
      }`,
      { representations: [{ __typename: "Enterprise", uscc }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities[0]!.insuredEmployees.asOf).toBe(WORLD.asOf);
    expect(result.data!._entities[0]!.insuredEmployees.count).toBeGreaterThanOrEqual(3);
  });

  it("reads each table once per request, whatever the number of persons", async () => {
    const rows = await db.query<{ idNumber: string }>(
      `SELECT DISTINCT id_number AS "idNumber" FROM social_insurance.contributions ORDER BY 1 LIMIT 50`,
    );
    const ids = rows.map((row) => row.idNumber);
    expect(ids).toHaveLength(50);
    const five = await statementsOf(() => socialInsuranceOf(ids.slice(0, 5)));
    const fifty = await statementsOf(async () => {
      const accounts = await socialInsuranceOf(ids);
      expect(accounts.filter((account) => account.contributions.length > 0).length).toBeGreaterThan(0);
    });
    expect(five).toHaveLength(3);
    expect(fifty).toHaveLength(five.length);
  });

  it("counts head counts of many enterprises in one statement", async () => {
    const rows = await db.query<{ uscc: string }>(
      `SELECT DISTINCT employer_uscc AS uscc FROM social_insurance.contributions
        WHERE employer_uscc IS NOT NULL ORDER BY 1 LIMIT 20`,
    );
    const statements = await statementsOf(async () => {
      const result = await post<{ _entities: { insuredEmployees: { count: number } }[] }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Enterprise { insuredEmployees(type: EMPLOYEE_MEDICAL, asOf: "${WORLD.asOf}") { count } }
          }
        }`,
        { representations: rows.map((row) => ({ __typename: "Enterprise", uscc: row.uscc })) },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toHaveLength(rows.length);
    });
    expect(statements).toHaveLength(1);
  });

  it.each([
    ["a malformed period", `consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: "202613")`],
    ["an asOf in the future", `consecutiveContributionMonths(type: EMPLOYEE_PENSION, asOf: "209912")`],
    ["from after to", `contributions(from: "202606", to: "202601") { period }`],
  ])("rejects %s as BAD_USER_INPUT without reading", async (_name, field) => {
    const id = sampleId("person-no-home-12-months");
    let result: GraphQLResponse<unknown> | undefined;
    const statements = await statementsOf(async () => {
      result = await post(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on Person { socialInsurance { ${field} } } }
        }`,
        { representations: [person(id)] },
      );
    });
    expect(result?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("rejects a malformed period passed as a variable without reading", async () => {
    const representations = [person(sampleId("person-no-home-12-months"))];
    let result: GraphQLResponse<unknown> | undefined;
    const statements = await statementsOf(async () => {
      result = await post(PERSON_QUERY, { representations, asOf: "202613" });
    });
    expect(result?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("rejects a representation whose key is malformed, and only that one", async () => {
    const result = await post<{ _entities: ({ socialInsurance: { lastPaidPeriod: string | null } } | null)[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Person { socialInsurance { lastPaidPeriod(type: EMPLOYEE_PENSION) } }
        }
      }`,
      { representations: [person("110105194912310021"), person(sampleId("person-no-home-12-months"))] },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.data?._entities[0]).toBeNull();
    expect(result.data?._entities[1]?.socialInsurance.lastPaidPeriod).toBe(WORLD.asOf);
  });
});
