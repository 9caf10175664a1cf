import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { README_QUERY } from "@onecert/cli";
import type { GraphQLReply } from "@onecert/subgraph-kit/testing";
import { join } from "node:path";
import { mattersWith } from "../support/matters";
import { postGraphQL, startTestStack, type TestStack } from "../support/stack";

const matters = mattersWith(join(__dirname, "../fixtures/policy-table.yaml"));

/**
 * The access policy as a table: each row is one request by one kind of caller, and what it
 * must get. Rows run in order against one system with real clients, grants and limits.
 */

type Caller =
  | "window"
  | "windowClear"
  | "windowNoGrant"
  | "windowOtherMatter"
  | "publicSecurity"
  | "naturalResources"
  | "marketRegulation"
  | "auditor"
  | "admin"
  | "revoked"
  | "safelisted"
  | "limited"
  | "none"
  | "forged";

interface Row {
  name: string;
  as: Caller;
  matter?: string | null;
  operator?: string | null;
  query: string;
  variables?: Record<string, unknown>;
  /** Expected extensions.code of the first error; omitted: the request succeeds without errors. */
  code?: string;
  status?: number;
  check?: (data: Record<string, unknown>, reply: GraphQLReply<Record<string, unknown>>) => void;
}

const P = (fields: string) => `query($id: IdNumber!) { person(idNumber: $id) { ${fields} } }`;
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;

let t: TestStack;
const keys: Partial<Record<Caller, string>> = {};
let showcase = "";
let twoHomes = "";
let enterprise = "";
let registeredQuery = "";

beforeAll(async () => {
  t = await startTestStack({
    gateway: {
      mattersDir: matters.dir,
      limits: {
        maxDepth: 8,
        maxAliases: 6,
        maxRootFields: 4,
        maxCost: 3000,
        defaultListSize: 10,
        maxDocumentBytes: 4096,
        rateLimitPerMinute: 1000,
      },
    },
  });
  showcase = t.sample("person-showcase");
  twoHomes = t.sample("person-two-homes");
  enterprise = t.sample("enterprise-active");
  const { identity, grants, operations } = t.stack.gateway.access;
  const client = async (caller: Caller, role: string, department: string, extra: object = {}) => {
    const created = await identity.createClient({ name: `t-${caller}`, role, department, ...extra } as never);
    keys[caller] = created.apiKey;
    return created.client.id;
  };
  const admin = await client("admin", "admin", "data-administration-bureau");
  const grant = async (clientId: string, fields: string[], matters: string[], clearValues = false) => {
    const requested = await grants.request({
      clientId,
      fields,
      matters,
      clearValues,
      validUntil: new Date(Date.now() + 86_400_000),
      reason: "policy table",
      requestedBy: admin,
    });
    return grants.approve(requested.id, admin);
  };
  const conditional = [
    "Person.realEstate",
    "RealEstate.*",
    "Person.socialInsurance",
    "SocialInsurance.*",
    "Retirement.*",
  ];
  const window = await client("window", "window", "government-service-center");
  await grant(window, conditional, ["public-rental-housing", "subsistence-allowance-review"]);
  const clear = await client("windowClear", "window", "government-service-center");
  await grant(
    clear,
    [...conditional, "Person.idNumber", "Person.name", "Person.address"],
    ["subsistence-allowance-review"],
    true,
  );
  await client("windowNoGrant", "window", "government-service-center");
  const other = await client("windowOtherMatter", "window", "government-service-center");
  await grant(other, conditional, ["retirement"]);
  const revokedGrant = await grant(other, ["Person.realEstate", "RealEstate.*"], ["public-rental-housing"]);
  await grants.revoke(revokedGrant.id, admin);
  await client("publicSecurity", "department", "public-security");
  await client("naturalResources", "department", "natural-resources");
  await client("marketRegulation", "department", "market-regulation");
  await client("auditor", "auditor", "audit-office");
  const revoked = await client("revoked", "window", "government-service-center");
  await identity.revokeClient(revoked);
  const safelisted = await client("safelisted", "window", "government-service-center", { safelist: true });
  await grant(safelisted, conditional, ["public-rental-housing"]);
  registeredQuery = P("name realEstate { unitNumber }");
  await operations.register({ name: "Homes", query: registeredQuery, registeredBy: admin });
  await client("limited", "window", "government-service-center", { rateLimitPerMinute: 3 });
  keys.forged = "oc_key_doesnotexist_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
});

afterAll(async () => {
  matters.cleanup();
  await t?.stop();
});

async function run(row: Row): Promise<GraphQLReply<Record<string, unknown>>> {
  const headers: Record<string, string> = {};
  const key = keys[row.as];
  if (key) headers.authorization = `Bearer ${key}`;
  const operator = row.operator === undefined ? "clerk-007" : row.operator;
  const matter = row.matter === undefined ? "public-rental-housing" : row.matter;
  if (operator !== null) headers["x-operator-id"] = operator;
  if (matter !== null) headers["x-matter-code"] = matter;
  return postGraphQL(t.stack.gateway.url, row.query, row.variables ?? { id: showcase }, headers);
}

const rows: Row[] = [
  // identity
  { name: "no credentials", as: "none", query: P("name"), code: "UNAUTHENTICATED", status: 401 },
  { name: "unknown API key", as: "forged", query: P("name"), code: "UNAUTHENTICATED", status: 401 },
  { name: "revoked client", as: "revoked", query: P("name"), code: "UNAUTHENTICATED", status: 401 },
  // purpose binding
  { name: "missing operator", as: "window", operator: null, query: P("name"), code: "BAD_USER_INPUT" },
  {
    name: "malformed operator",
    as: "window",
    operator: "clerk 7; drop",
    query: P("name"),
    code: "BAD_USER_INPUT",
  },
  { name: "missing matter", as: "window", matter: null, query: P("name"), code: "BAD_USER_INPUT" },
  { name: "unknown matter", as: "window", matter: "buy-a-yacht", query: P("name"), code: "BAD_USER_INPUT" },
  {
    name: "__typename needs no purpose",
    as: "window",
    matter: null,
    operator: null,
    query: "{ __typename }",
  },
  // roles
  {
    name: "auditor may not read registry data",
    as: "auditor",
    query: P("name"),
    code: "FORBIDDEN",
    status: 403,
  },
  { name: "admin may not read registry data", as: "admin", query: P("status"), code: "FORBIDDEN" },
  // share levels
  { name: "UNCONDITIONAL field", as: "windowNoGrant", query: P("status regionCode") },
  {
    name: "NOT_SHARED phone to a window",
    as: "window",
    matter: "policy-table",
    query: P("phone"),
    code: "FORBIDDEN",
  },
  {
    name: "NOT_SHARED phone to its own department, in clear",
    as: "publicSecurity",
    matter: "household-registration",
    query: P("phone idNumber"),
    check: (d) => {
      const p = d.person as { phone: string; idNumber: string };
      expect(p.phone).toMatch(/^1\d{10}$/);
      expect(p.idNumber).toBe(showcase);
    },
  },
  {
    name: "NOT_SHARED phone to another department",
    as: "marketRegulation",
    matter: "policy-table",
    query: P("phone"),
    code: "FORBIDDEN",
  },
  {
    name: "CONDITIONAL without a grant",
    as: "windowNoGrant",
    query: P("realEstate { unitNumber }"),
    code: "FORBIDDEN",
  },
  {
    name: "CONDITIONAL with a grant",
    as: "window",
    query: P("realEstate { unitNumber area }"),
    check: (d) => expect((d.person as { realEstate: unknown[] }).realEstate).toHaveLength(1),
  },
  {
    name: "CONDITIONAL to the owning department without a grant",
    as: "naturalResources",
    matter: "policy-table",
    query: P("realEstate { unitNumber address }"),
  },
  {
    name: "grant for another matter only",
    as: "windowOtherMatter",
    query: P("realEstate { unitNumber }"),
    code: "FORBIDDEN",
  },
  {
    name: "revoked grant",
    as: "windowOtherMatter",
    matter: "public-rental-housing",
    query: P("realEstate { regionCode }"),
    code: "FORBIDDEN",
  },
  {
    name: "social insurance with a grant",
    as: "window",
    query: P("socialInsurance { consecutiveContributionMonths(type: EMPLOYEE_PENSION) }"),
    check: (d) =>
      expect(
        (d.person as { socialInsurance: { consecutiveContributionMonths: number } }).socialInsurance
          .consecutiveContributionMonths,
      ).toBeGreaterThanOrEqual(12),
  },
  // minimum necessary
  { name: "field outside the matter", as: "window", query: P("spouse { name }"), code: "FORBIDDEN" },
  {
    name: "granted field outside the matter",
    as: "window",
    matter: "enterprise-change",
    query: P("realEstate { unitNumber }"),
    code: "FORBIDDEN",
  },
  {
    name: "financial detail outside the matter",
    as: "window",
    query: P("socialInsurance { contributions { base } }"),
    code: "FORBIDDEN",
  },
  {
    name: "a matter admits only the departments it names",
    as: "window",
    matter: "criminal-investigation",
    query: P("name"),
    code: "FORBIDDEN",
    check: (_d, r) =>
      expect(r.errors![0].message).toContain("admits public-security, not government-service-center"),
  },
  {
    name: "a department acts under its own restricted matter",
    as: "publicSecurity",
    matter: "criminal-investigation",
    query: P("name status"),
  },
  {
    name: "Type.* covers the matter's own department's fields only",
    as: "publicSecurity",
    matter: "household-registration",
    query: P("name realEstate { unitNumber }"),
    code: "FORBIDDEN",
    check: (_d, r) => expect(r.errors![0].message).toContain("covers public-security's fields only"),
  },
  {
    name: "denial through an alias names the alias path",
    as: "window",
    matter: "policy-table",
    query: P("p: phone"),
    code: "FORBIDDEN",
    check: (_d, r) => expect(r.errors![0].message).toContain("person.p"),
  },
  {
    name: "denial through a fragment",
    as: "window",
    matter: "policy-table",
    query: `query($id: IdNumber!) { person(idNumber: $id) { ...F } } fragment F on Person { phone }`,
    code: "FORBIDDEN",
  },
  {
    name: "denial through an entity join",
    as: "window",
    matter: "enterprise-change",
    query: `query($u: USCC!) { enterprise(uscc: $u) { legalRepresentative { phone } } }`,
    variables: { u: "" },
    code: "FORBIDDEN",
  },
  // masking
  {
    name: "ID number masked without a clear grant",
    as: "window",
    query: P("idNumber"),
    check: (d) => expect((d.person as { idNumber: string }).idNumber).toMatch(MASKED_ID),
  },
  {
    name: "name masked without a clear grant",
    as: "window",
    query: P("name"),
    check: (d) => expect((d.person as { name: string }).name).toContain("*"),
  },
  {
    name: "household members' names masked in lists",
    as: "window",
    query: P("household { members { person { name } } }"),
    check: (d) => {
      const members = (d.person as { household: { members: { person: { name: string } }[] } }).household
        .members;
      expect(members.length).toBeGreaterThanOrEqual(3);
      for (const m of members) expect(m.person.name).toContain("*");
    },
  },
  {
    name: "address masked beyond the district",
    as: "window",
    matter: "subsistence-allowance-review",
    query: P("household { address }"),
    check: (d) =>
      expect((d.person as { household: { address: string } }).household.address).toMatch(/^[^*]+区\*{4}$/),
  },
  {
    name: "CONDITIONAL address without a grant for it",
    as: "window",
    matter: "subsistence-allowance-review",
    query: P("address"),
    code: "FORBIDDEN",
  },
  {
    name: "a key every registry resolves stays masked for a department that does not own it",
    as: "naturalResources",
    matter: "policy-table",
    query: P("idNumber realEstate { unitNumber }"),
    check: (d) => expect((d.person as { idNumber: string }).idNumber).toMatch(MASKED_ID),
  },
  {
    name: "clear grant shows the ID number",
    as: "windowClear",
    matter: "subsistence-allowance-review",
    query: P("idNumber name"),
    check: (d) => expect((d.person as { idNumber: string }).idNumber).toBe(showcase),
  },
  {
    name: "clear grant shows the address",
    as: "windowClear",
    matter: "subsistence-allowance-review",
    query: P("address"),
    check: (d) => expect((d.person as { address: string }).address).not.toContain("*"),
  },
  {
    name: "person names masked through a union fragment, enterprise names not",
    as: "window",
    matter: "enterprise-change",
    query: `query($u: USCC!) { enterprise(uscc: $u) { status legalRepresentative { name } shareholders { share holder { __typename ... on Person { name } ... on Enterprise { name } } } } }`,
    variables: { u: "" },
    check: (d) => {
      const e = d.enterprise as {
        legalRepresentative: { name: string };
        shareholders: { holder: { __typename: string; name: string } }[];
      };
      expect(e.legalRepresentative.name).toContain("*");
      expect(e.shareholders.length).toBeGreaterThan(0);
      for (const h of e.shareholders) {
        if (h.holder.__typename === "Person") expect(h.holder.name).toContain("*");
        else expect(h.holder.name).not.toContain("*");
      }
    },
  },
  // existence is not revealed by a denial
  {
    name: "a denial reads the same for an unknown subject",
    as: "windowNoGrant",
    query: P("realEstate { unitNumber }"),
    variables: { id: "11010519491231002X" },
    code: "FORBIDDEN",
    check: (_d, r) => expect(r.data ?? null).toBeNull(),
  },
  // limits
  {
    name: "depth over the limit",
    as: "window",
    matter: "subsistence-allowance-review",
    query: P(
      "household { members { person { household { members { person { household { members { person { name } } } } } } } } }",
    ),
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "aliases over the limit",
    as: "window",
    query: P("a: name b: name c: name d: name e: name f: name g: name"),
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "root fields over the limit",
    as: "window",
    query: `query($id: IdNumber!) { a: person(idNumber: $id) { name } b: person(idNumber: $id) { name } c: person(idNumber: $id) { name } d: person(idNumber: $id) { name } e: person(idNumber: $id) { name } }`,
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "estimated cost over the limit",
    as: "window",
    matter: "subsistence-allowance-review",
    query: `query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { household { members { person { name realEstate { unitNumber } } } } } }`,
    variables: { ids: [] },
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "document over the size limit",
    as: "window",
    query: P(`name ${"  ".repeat(2100)}`),
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "introspection is off outside development",
    as: "window",
    query: "{ __schema { types { name } } }",
    code: "GRAPHQL_VALIDATION_FAILED",
  },
  // safelist
  {
    name: "safelisted client, unregistered operation",
    as: "safelisted",
    query: P("name"),
    code: "PERSISTED_QUERY_NOT_FOUND",
  },
  { name: "safelisted client, registered operation", as: "safelisted", query: "REGISTERED" },
  // the README query for the window that holds the grants
  {
    name: "README query under its matter",
    as: "window",
    matter: "subsistence-allowance-review",
    query: README_QUERY,
  },
];

describe("access policy table", () => {
  it("has at least 40 rows", () => expect(rows.length).toBeGreaterThanOrEqual(40));

  for (const row of rows) {
    it(row.name, async () => {
      const query = row.query === "REGISTERED" ? registeredQuery : row.query;
      let variables = row.variables;
      if (variables && "u" in variables) variables = { u: enterprise };
      if (variables && "ids" in variables) variables = { ids: Array.from({ length: 200 }, () => twoHomes) };
      const reply = await run({ ...row, query, variables });
      if (row.code) {
        expect(reply.errors?.[0]?.extensions?.code, JSON.stringify(reply.errors)).toBe(row.code);
        if (row.status) expect(reply.status).toBe(row.status);
        expect(JSON.stringify(reply.errors)).not.toMatch(/stacktrace/);
        if (row.code !== "FORBIDDEN" || !reply.data) expect(reply.data ?? null).toBeNull();
      } else {
        expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
      }
      row.check?.(reply.data ?? {}, reply);
    });
  }

  it("rate-limits a client across requests with retry-after", async () => {
    const replies = [];
    for (let i = 0; i < 4; i += 1)
      replies.push(await run({ name: "rate", as: "limited", query: P("status") }));
    expect(replies.slice(0, 3).every((r) => !r.errors)).toBe(true);
    const last = replies[3];
    expect(last.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
