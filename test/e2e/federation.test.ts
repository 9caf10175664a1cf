import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { README_QUERY } from "@onecert/cli";
import { startTestStack, type TestStack } from "../support/stack";

interface CitizenData {
  person: {
    name: string;
    status: string;
    household: { number: string; members: { relation: string; person: { name: string } }[] } | null;
    realEstate: { unitNumber: string; certificateNumber: string; area: number; mortgaged: boolean }[] | null;
    enterprisesRepresented: { uscc: string; name: string; status: string }[] | null;
    socialInsurance: { consecutiveContributionMonths: number } | null;
  } | null;
}

describe("the gateway federates the four registries", () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("answers the README query with data from all four registries", async () => {
    const result = await t.gql<CitizenData>(README_QUERY, { id: t.sample("person-showcase") });
    expect(result.errors).toBeUndefined();
    const person = result.data!.person!;
    expect(person.name.length).toBeGreaterThan(1);
    expect(person.household!.members.length).toBeGreaterThanOrEqual(3);
    expect(person.household!.members.filter((m) => m.relation === "HEAD")).toHaveLength(1);
    expect(person.realEstate).toHaveLength(1);
    expect(person.realEstate![0].certificateNumber).toMatch(/不动产权第\d{7}号$/);
    expect(person.enterprisesRepresented!.some((e) => e.status === "ACTIVE")).toBe(true);
    expect(person.socialInsurance!.consecutiveContributionMonths).toBeGreaterThanOrEqual(36);
  });

  it("returns null, not an error, for an ID number nobody holds", async () => {
    const result = await t.gql<CitizenData>(README_QUERY, { id: "11010519491231002X" });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person).toBeNull();
  });

  it("distinguishes subjects on both sides of a case", async () => {
    const query = `query($a: IdNumber!, $b: IdNumber!) {
      a: person(idNumber: $a) { realEstate { unitNumber } }
      b: person(idNumber: $b) { realEstate { unitNumber } }
    }`;
    const result = await t.gql<{ a: { realEstate: unknown[] }; b: { realEstate: unknown[] } }>(query, {
      a: t.sample("person-two-homes"),
      b: t.sample("person-no-home-12-months"),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.a.realEstate).toHaveLength(2);
    expect(result.data!.b.realEstate).toHaveLength(0);
  });
});
