import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingStatements } from "@onecert/subgraph-kit/testing";
import { startTestRegistry, type TestRegistry } from "@onecert/synthetic-world/testing";
import { legalEntity } from "./index";

const WORLD = { persons: 2000 };
// Valid check character, outside the synthetic world's region codes.
const UNKNOWN_USCC = "91350100M000100Y43";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry(legalEntity, WORLD);
}, 180_000);

afterAll(() => registry?.stop());

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
    const uscc = registry.sample("enterprise-revoked");
    const reply = await registry.post<{ enterprise: EnterpriseReply }>(
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
    const rows = await registry.db.query<{ uscc: string; holderId: string }>(
      // Holders without enterprise holders of their own are never among the enterprises asked for.
      `SELECT uscc, holder_id AS "holderId" FROM legal_entity.shareholdings s
        WHERE holder_kind = 'ENTERPRISE' AND NOT EXISTS (SELECT 1 FROM legal_entity.shareholdings t
          WHERE t.uscc = s.holder_id AND t.holder_kind = 'ENTERPRISE') ORDER BY uscc LIMIT 50`,
    );
    expect(rows.length).toBeGreaterThan(1);
    const { result, statements } = await countingStatements(registry.db, () =>
      registry.post<{ enterprises: EnterpriseReply[] }>(
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
    const revoked = registry.sample("enterprise-revoked");
    const owner = registry.sample("enterprise-owns-property");
    const reply = await registry.post<{ enterprises: { uscc: string }[] }>(
      `query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`,
      { usccs: [owner, UNKNOWN_USCC, revoked] },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.enterprises.map((enterprise) => enterprise.uscc)).toEqual([owner, revoked]);
  });

  it("gives null for an unknown USCC", async () => {
    const reply = await registry.post<{ enterprise: null }>(
      `{ enterprise(uscc: "${UNKNOWN_USCC}") { uscc } }`,
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.enterprise).toBeNull();
  });

  it("rejects an invalid USCC as BAD_USER_INPUT before any SQL", async () => {
    const bad = "91350100M000100Y44";
    const { result, statements } = await countingStatements(registry.db, async () => [
      await registry.post(`{ enterprise(uscc: "${bad}") { uscc } }`),
      await registry.post(`query ($uscc: USCC!) { enterprise(uscc: $uscc) { uscc } }`, { uscc: bad }),
      await registry.post(`query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`, {
        usccs: ["nope"],
      }),
    ]);
    for (const reply of result) expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(statements).toEqual([]);
  });

  it("refuses more than 200 enterprises in one query", async () => {
    const reply = await registry.post(`query ($usccs: [USCC!]!) { enterprises(usccs: $usccs) { uscc } }`, {
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

  const entities = (representations: object[]) =>
    countingStatements(registry.db, () =>
      registry.post<{ _entities: (Entity | null)[] }>(ENTITIES, { representations }),
    );

  it("resolves a batch of enterprises in order with one statement per table", async () => {
    const usccs = (
      await registry.db.query<{ uscc: string }>(
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
      await registry.db.query<{ id: string }>(
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
