import { loadMaskingRules, type ShapeEntry } from "@onecert/access";
import { SCHEMA_DIR } from "@onecert/subgraph-kit";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { applyMask, buildMaskTree } from "./mask";

const rules = loadMaskingRules(resolve(SCHEMA_DIR, "masking.yaml"));
const leaf = (typeName: string, fieldName: string): ShapeEntry => ({ typeName, fieldName });

// `accounts { balance ... on Deposit { monthly } }` where `accounts: [Account]`, an interface.
const shape = new Map([
  [
    "accounts",
    [
      {
        typeName: "Person",
        fieldName: "accounts",
        children: new Map([
          ["__typename", [leaf("Account", "__typename")]],
          ["balance", [leaf("Account", "balance")]],
          ["monthly", [leaf("Deposit", "monthly")]],
        ]),
      },
    ],
  ],
]);
const financial = (_typeName: string, fieldName: string) =>
  fieldName === "balance" || fieldName === "monthly" ? ("FINANCIAL" as const) : undefined;
const possible = (typeName: string) => (typeName === "Account" ? ["Deposit", "Loan"] : [typeName]);

describe("masking under an interface", () => {
  it("masks a field selected on the interface whatever __typename the object names", () => {
    const tree = buildMaskTree(shape, financial, possible)!;
    const data = {
      accounts: [
        { __typename: "Deposit", balance: 12_345.67, monthly: 1_500.5 },
        { __typename: "Loan", balance: 301_234.25 },
        { balance: 9_999 },
      ],
    };
    applyMask(data, tree, rules);
    expect(data.accounts).toEqual([
      { __typename: "Deposit", balance: 12_000, monthly: 1_000 },
      { __typename: "Loan", balance: 301_000 },
      { balance: 9_000 },
    ]);
  });

  it("leaves values of an object type no masked selection lands on", () => {
    const tree = buildMaskTree(shape, financial, possible)!;
    const data = { accounts: [{ __typename: "Other", balance: 12_345.67 }] };
    applyMask(data, tree, rules);
    expect(data.accounts[0].balance).toBe(12_345.67);
  });
});
