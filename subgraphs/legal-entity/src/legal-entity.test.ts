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
import { legalEntity } from "./index";

const PERSONS = 2000;
// Valid check character, outside the synthetic world's region codes.
const UNKNOWN_USCC = "91350100M000100Y43";

let db: Db;
let service: RunningService;

interface Reply<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post<T>(query: string, variables?: Record<string, unknown>): Promise<Reply<T>> {
  const response = await fetch(service.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Reply<T>;
}

/** Runs `fn` and returns what it returned with the SQL statements it caused. */
async function counting<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = db.onStatement((sql) => statements.push(sql));
  try {
    return { result: await fn(), statements };
  } finally {
    stop();
  }
}

function sample(name: string): string {
  const found = samples({ persons: PERSONS }).find((candidate) => candidate.case === name);
  if (!found) throw new Error(`no sample "${name}"`);
  return found.id;
}

beforeAll(async () => {
  db = openDb();
  await migrate(db, legalEntity.dbSchema, legalEntity.migrations);
  await seedRegistries(db, [legalEntity], { persons: PERSONS });
  service = await startRegistry({ definition: legalEntity, db, port: 0 });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await db?.close();
});

const ENTERPRISE_FIELDS = `uscc name kind status registeredCapital establishedOn regionCode address businessScope
  legalRepresentative { idNumber }
  shareholders { share holder { __typename ... on Person { idNumber } ... on Enterprise { uscc name } } }`;

interface EnterpriseReply {
  uscc: string;
  name: string;
  status: string;
  registeredCapital: number;
  establishedOn: string;
  legalRepresentative: { idNumber: string } | null;
  shareholders: { share: number; holder: { __typename: string; idNumber?: string; uscc?: string } }[];
}

describe("legal-entity queries", () => {
  it("returns a seeded enterprise with its representative and shareholders", async () => {
    const uscc = sample("enterprise-revoked");
    const reply = await post<{ enterprise: EnterpriseReply }>(
      `query ($uscc: USCC!) { enterprise(uscc: $uscc) { ${ENTERPRISE_FIELDS} } }`,
      { uscc },
    );
    expect(reply.errors).toBeUndefined();
    const enterprise = reply.data!.enterprise;
    expect(enterprise.uscc).toBe(uscc);
    expect(enterprise.status).toBe("REVOKED");
    expect(enterprise.registeredCapital).toBeGreaterThan(0);
    expect(enterprise.establishedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(enterprise.legalRepresentative?.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(enterprise.shareholders.length).toBeGreaterThan(0);
    const total = enterprise.shareholders.reduce((sum, holding) => sum + holding.share, 0);
    expect(total).toBeCloseTo(100, 2);
    for (const { holder } of enterprise.shareholders) {
      expect(holder.__typename === "Person" ? holder.idNumber : holder.uscc).toBeTruthy();
    }
  });

  it("resolves enterprise shareholders locally, one statement for all of them", async () => {
    const rows = await db.query<{ uscc: string; holderId: string }>(
      `SELECT uscc, holder_id AS "holderId" FROM legal_entity.shareholdings
        WHERE holder_kind = 'ENTERPRISE' ORDER BY uscc LIMIT 50`,
    );
    expect(rows.length).toBeGreaterThan(1);
    const { result, statements } = await counting(() =>
      post<{ enterprises: EnterpriseReply[] }>(
        `query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { ${ENTERPRISE_FIELDS} } }`,
        { usccs: [...new Set(rows.map((row) => row.uscc))] },
      ),
    );
    expect(result.errors).toBeUndefined();
    const holders = result.data!.enterprises.flatMap((enterprise) =>
      enterprise.shareholders.map((s) => s.holder),
    );
    for (const row of rows) {
      expect(holders.find((holder) => holder.uscc === row.holderId)).toMatchObject({
        __typename: "Enterprise",
        name: expect.any(String),
      });
    }
    // The enterprises asked for, their shareholdings, then the holding enterprises.
    expect(statements).toHaveLength(3);
  });

  it("returns several enterprises in the order asked, leaving unknown ones out", async () => {
    const revoked = sample("enterprise-revoked");
    const owner = sample("enterprise-owns-property");
    const reply = await post<{ enterprises: { uscc: string }[] }>(
      `query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`,
      { usccs: [owner, UNKNOWN_USCC, revoked] },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.enterprises.map((enterprise) => enterprise.uscc)).toEqual([owner, revoked]);
  });

  it("gives null for an unknown USCC", async () => {
    const reply = await post<{ enterprise: null }>(`{ enterprise(uscc: "${UNKNOWN_USCC}") { uscc } }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.enterprise).toBeNull();
  });

  it("rejects an invalid USCC as BAD_USER_INPUT before any SQL", async () => {
    const bad = "91350100M000100Y44";
    const { result, statements } = await counting(async () => [
      await post(`{ enterprise(uscc: "${bad}") { uscc } }`),
      await post(`query ($uscc: USCC!) { enterprise(uscc: $uscc) { uscc } }`, { uscc: bad }),
      await post(`query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`, { usccs: ["nope"] }),
    ]);
    for (const reply of result) expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("refuses more than 200 enterprises in one query", async () => {
    const reply = await post(`query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`, {
      usccs: Array.from({ length: 201 }, () => UNKNOWN_USCC),
    });
    expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("legal-entity entities", () => {
  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Enterprise { uscc name shareholders { share } }
    ... on Person { idNumber enterprisesRepresented { uscc status shareholders { share } } }
  } }`;

  interface Entity {
    uscc?: string;
    idNumber?: string;
    enterprisesRepresented?: { uscc: string }[] | null;
  }

  async function entities(representations: object[]) {
    return counting(() => post<{ _entities: (Entity | null)[] }>(ENTITIES, { representations }));
  }

  it("resolves a batch of enterprises in order with one statement per table", async () => {
    const usccs = (
      await db.query<{ uscc: string }>(
        `SELECT uscc FROM legal_entity.enterprises ORDER BY uscc DESC LIMIT 50`,
      )
    ).map((row) => row.uscc);
    const representations = [...usccs, UNKNOWN_USCC].map((uscc) => ({ __typename: "Enterprise", uscc }));
    const { result, statements } = await entities(representations);
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((entity) => entity?.uscc ?? null)).toEqual([...usccs, null]);
    expect(statements).toHaveLength(2);
  });

  it("lists the enterprises a person represents, at the same cost for 5 persons as for 50", async () => {
    const representatives = (
      await db.query<{ id: string }>(
        `SELECT DISTINCT legal_rep_id_number AS id FROM legal_entity.enterprises ORDER BY id LIMIT 50`,
      )
    ).map((row) => row.id);
    expect(representatives).toHaveLength(50);
    const asPersons = (ids: string[]) => ids.map((idNumber) => ({ __typename: "Person", idNumber }));

    const few = await entities(asPersons(representatives.slice(0, 5)));
    const many = await entities(asPersons(representatives));
    expect(many.result.errors).toBeUndefined();
    const persons = many.result.data!._entities;
    expect(persons.map((person) => person?.idNumber)).toEqual(representatives);
    for (const person of persons) expect(person!.enterprisesRepresented!.length).toBeGreaterThan(0);
    expect(many.statements.length).toBe(few.statements.length);
    // The enterprises represented, then their shareholdings.
    expect(many.statements).toHaveLength(2);
  });

  it("gives an empty list for a person who represents no enterprise", async () => {
    const { result } = await entities([{ __typename: "Person", idNumber: "11010519491231002X" }]);
    expect(result.data!._entities).toEqual([{ idNumber: "11010519491231002X", enterprisesRepresented: [] }]);
  });
});
