import { GATEWAY_JWKS_PATH, SUPERGRAPH_PATH } from "@onecert/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningDepartmentSubgraph } from "../fixtures/department/server";
import {
  accountsOf,
  PROVIDENT_FUND_DEPARTMENT,
  PROVIDENT_FUND_MATTER,
  PROVIDENT_FUND_MATTER_FILE,
  PROVIDENT_FUND_SDL,
  startProvidentFund,
} from "../fixtures/provident-fund/server";
import { mattersWith } from "../support/matters";
import { postGraphQL, startTestStack, type TestStack } from "../support/stack";

// A department's subgraph with an interface and FINANCIAL amounts, registered at run time: its
// fields are read through the interface under the sharing rules of the implementing types, and
// amounts are masked (rounded down to their range) for everyone but the centre itself.

const matters = mattersWith(PROVIDENT_FUND_MATTER_FILE);
let t: TestStack;
let fund: RunningDepartmentSubgraph;
let base = "";
const keys = { centre: "", window: "" };
let subject = "";

const ACCOUNTS = `query($id: IdNumber!) { person(idNumber: $id) { providentFund {
  __typename accountNumber balance openedOn ... on DepositAccount { monthlyDeposit } } } }`;

type Accounts = { person: { providentFund: Record<string, unknown>[] } };

const ask = (query: string, key: string) =>
  postGraphQL<Accounts>(
    t.stack.gateway.url,
    query,
    { id: subject },
    {
      authorization: `Bearer ${key}`,
      "x-operator-id": "fund-clerk",
      "x-matter-code": PROVIDENT_FUND_MATTER,
    },
  );

async function register(sdl: string) {
  const response = await fetch(`${base}/admin/subgraphs`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.centre}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "provident-fund", url: fund.url, sdl }),
  });
  return {
    status: response.status,
    ...((await response.json()) as { error?: { code: string; message: string } }),
  };
}

beforeAll(async () => {
  t = await startTestStack({
    gateway: { supergraph: { kind: "registry", path: SUPERGRAPH_PATH }, mattersDir: matters.dir },
  });
  base = t.stack.gateway.url.replace(/\/graphql$/, "");
  fund = await startProvidentFund({ jwksUrl: `${base}${GATEWAY_JWKS_PATH}` });
  const { identity } = t.stack.gateway.access;
  keys.centre = (
    await identity.createClient({
      name: "fund-centre",
      role: "department",
      department: PROVIDENT_FUND_DEPARTMENT,
    })
  ).apiKey;
  keys.window = (
    await identity.createClient({
      name: "fund-window",
      role: "window",
      department: "government-service-center",
    })
  ).apiKey;
  subject = t.sample("person-two-homes");
}, 120_000);

afterAll(async () => {
  await fund?.stop();
  await t?.stop();
  matters.cleanup();
});

describe("a department subgraph with an interface and FINANCIAL fields", () => {
  it("refuses a subgraph declaring a sensitivity no masking rule exists for", async () => {
    const refused = await register(
      PROVIDENT_FUND_SDL.replace(
        'sensitivity: ["FINANCIAL"])\n  openedOn',
        'sensitivity: ["SALARY"])\n  openedOn',
      ),
    );
    expect(refused.status).toBe(422);
    expect(refused.error?.code).toBe("INVALID_SDL");
    expect(refused.error?.message).toMatch(/unknown @share sensitivity SALARY/);
  });

  it("is read through the interface by a window, its amounts masked to their range", async () => {
    expect((await register(PROVIDENT_FUND_SDL)).status).toBe(201);
    const deadline = Date.now() + 5000;
    let reply = await ask(ACCOUNTS, keys.window);
    while (reply.errors && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      reply = await ask(ACCOUNTS, keys.window);
    }
    expect(reply.errors).toBeUndefined();
    const [deposit, ...rest] = accountsOf(subject);
    const floor = (amount: number) => Math.floor(amount / 1000) * 1000;
    const accounts = reply.data!.person.providentFund;
    expect(accounts).toHaveLength(rest.length + 1);
    expect(accounts[0]).toMatchObject({
      __typename: "DepositAccount",
      balance: floor(deposit.balance),
      monthlyDeposit: floor(deposit.monthlyDeposit!),
      openedOn: deposit.openedOn,
    });
    expect(accounts[0].accountNumber).not.toBe(deposit.accountNumber);
    expect(accounts[0].accountNumber).toMatch(/\*/);
    expect(accounts[0].balance).not.toBe(deposit.balance);
  });

  it("is served in clear to the centre that owns it, and keeps its NOT_SHARED fields to it", async () => {
    const reply = await ask(ACCOUNTS, keys.centre);
    expect(reply.errors).toBeUndefined();
    const [deposit] = accountsOf(subject);
    expect(reply.data!.person.providentFund[0]).toMatchObject({
      accountNumber: deposit.accountNumber,
      balance: deposit.balance,
      monthlyDeposit: deposit.monthlyDeposit,
    });
    const term = `query($id: IdNumber!) { person(idNumber: $id) { providentFund { ... on LoanAccount { termMonths } } } }`;
    const refused = await ask(term, keys.window);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(refused.errors?.[0]?.extensions?.denied)).toMatch(
      /LoanAccount\.termMonths is NOT_SHARED/,
    );
  });
});
