import type { RunningDepartmentSubgraph } from "../fixtures/department/server";
import { CHAIN_DEPARTMENTS, sdlOf, startChain } from "../fixtures/chain/server";
import {
  PROVIDENT_FUND_DEPARTMENT,
  PROVIDENT_FUND_SDL,
  startProvidentFund,
} from "../fixtures/provident-fund/server";
import type { TestStack } from "./stack";

/**
 * Departments joining a stack that serves the registry (SUPERGRAPH_SOURCE=registry): the
 * housing provident fund centre's subgraph with an interface and FINANCIAL amounts, and a
 * @requires chain (elderly care's age band from the birth date, the allowance from the band).
 * The subgraph pulling in another department's NOT_SHARED data is refused on the way.
 */
export interface JoinedDepartments {
  subgraphs: RunningDepartmentSubgraph[];
  /** The registration of the @requires subgraph over NOT_SHARED and CONDITIONAL fields: refused. */
  refusedWelfare: { status: number; code?: string; message?: string };
  stop(): Promise<void>;
}

export async function joinDepartments(t: TestStack): Promise<JoinedDepartments> {
  const base = t.stack.gateway.url.replace(/\/graphql$/, "");
  const jwksUrl = `${base}/.well-known/onecert-gateway-jwks.json`;
  const fund = await startProvidentFund({ jwksUrl });
  const chain = await startChain({ jwksUrl });
  const { identity } = t.stack.gateway.access;
  const register = async (name: string, department: string, url: string, sdl: string) => {
    const key = (await identity.createClient({ name: `${name}-registrar`, role: "department", department }))
      .apiKey;
    const response = await fetch(`${base}/admin/subgraphs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name, url, sdl }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, code: body.error?.code, message: body.error?.message };
  };
  const registered = [
    await register("provident-fund", PROVIDENT_FUND_DEPARTMENT, fund.url, PROVIDENT_FUND_SDL),
    await register(
      "elderly-care",
      CHAIN_DEPARTMENTS["elderly-care"],
      chain.elderlyCare.url,
      sdlOf("elderly-care"),
    ),
    await register("allowance", CHAIN_DEPARTMENTS.allowance, chain.allowance.url, sdlOf("allowance")),
  ];
  for (const outcome of registered)
    if (outcome.status !== 201) throw new Error(`registration failed: ${JSON.stringify(outcome)}`);
  const refusedWelfare = await register("welfare", "civil-affairs", chain.elderlyCare.url, sdlOf("welfare"));
  // Every replica serves a published version within seconds; this one is polled until it does.
  const deadline = Date.now() + 10_000;
  while (
    !t.stack.gateway.schema()?.getType("FundAccount") ||
    !(
      "monthlyAllowance" in
      (t.stack.gateway.schema()!.getType("Person") as { getFields(): object }).getFields()
    )
  ) {
    if (Date.now() > deadline)
      throw new Error("the gateway did not serve the departments' subgraphs within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    subgraphs: [fund, chain.elderlyCare, chain.allowance],
    refusedWelfare,
    async stop() {
      await fund.stop();
      await chain.stop();
    },
  };
}
