import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statistics, searchRecords } from "@onecert/audit";
import { certificateWindow, fetchCounts, takeDown, type CertificateWindow } from "../support/certificates";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Certificate checks through the whole system: every certificate type on both sides with the
 * synthetic world's demo subjects, each with a registry it reads down (UNDETERMINED), the
 * one-fetch-per-registry guarantee, multi-subject matters and commitments with their re-check.
 */

interface Case {
  type: string;
  matter: string;
  satisfied: string;
  notSatisfied: string;
}
const CASES: Case[] = [
  {
    type: "household-registration",
    matter: "public-rental-housing",
    satisfied: "person-no-home-12-months",
    notSatisfied: "person-24-months",
  },
  {
    type: "identity-status",
    matter: "property-transaction",
    satisfied: "person-showcase",
    notSatisfied: "person-deceased",
  },
  {
    type: "household-relation",
    matter: "newborn",
    satisfied: "couple-newborn-parent-b",
    notSatisfied: "person-no-home-12-months",
  },
  {
    type: "marital-relation",
    matter: "newborn",
    satisfied: "couple-newborn-parent-a",
    notSatisfied: "person-no-home-12-months",
  },
  {
    type: "no-housing",
    matter: "public-rental-housing",
    satisfied: "person-home-outside-city",
    notSatisfied: "person-one-home",
  },
  {
    type: "property-ownership",
    matter: "property-transaction",
    satisfied: "person-one-home",
    notSatisfied: "person-no-home-12-months",
  },
  {
    type: "mortgage-free",
    matter: "property-transaction",
    satisfied: "person-one-home",
    notSatisfied: "person-mortgaged-home",
  },
  {
    type: "seizure-free",
    matter: "property-transaction",
    satisfied: "person-one-home",
    notSatisfied: "person-seized-home",
  },
  {
    type: "contribution-months",
    matter: "public-rental-housing",
    satisfied: "person-no-home-12-months",
    notSatisfied: "person-no-home-short-contributions",
  },
  {
    type: "pension-receipt",
    matter: "retirement",
    satisfied: "person-retired",
    notSatisfied: "person-showcase",
  },
  {
    type: "insurance-enrolment",
    matter: "newborn",
    satisfied: "couple-newborn-parent-a",
    notSatisfied: "person-no-insurance",
  },
  {
    type: "employer-insured-headcount",
    matter: "enterprise-qualification",
    satisfied: "enterprise-active",
    notSatisfied: "enterprise-revoked",
  },
  {
    type: "enterprise-active",
    matter: "enterprise-change",
    satisfied: "enterprise-active",
    notSatisfied: "enterprise-cancelled",
  },
  {
    type: "legal-representative-identity",
    matter: "enterprise-change",
    satisfied: "enterprise-owns-property",
    notSatisfied: "enterprise-revoked",
  },
  {
    type: "enterprise-property",
    matter: "enterprise-qualification",
    satisfied: "enterprise-owns-property",
    notSatisfied: "enterprise-active",
  },
  {
    type: "home-count",
    matter: "home-purchase-qualification",
    satisfied: "person-one-home",
    notSatisfied: "person-two-homes",
  },
  {
    type: "purchase-residency",
    matter: "home-purchase-qualification",
    satisfied: "person-24-months",
    notSatisfied: "person-emigrated",
  },
];

const VERDICTS = `checkCertificates(subject: $subject, types: [$type]) {
  certificate { id registries } subject status reason evidence registries validUntil commitmentAllowed }`;
const CHECK_ONE = `query($subject: SubjectInput!, $type: ID!) { ${VERDICTS} }`;

let t: TestStack;
let window: CertificateWindow;
const registriesOf = new Map<string, string[]>();

beforeAll(async () => {
  t = await startTestStack();
  window = await certificateWindow(t, "cert-window");
  const reply = await t.gql<{ certificateTypes: { id: string; registries: string[] }[] }>(
    "{ certificateTypes { id registries } }",
    {},
    window.headers("public-rental-housing"),
  );
  for (const type of reply.data!.certificateTypes) registriesOf.set(type.id, type.registries);
});
afterAll(async () => {
  await t?.stop();
});

const subjectInput = (caseId: string) =>
  caseId.startsWith("enterprise") ? { uscc: t.sample(caseId) } : { idNumber: t.sample(caseId) };

type VerdictReply = {
  status: string;
  reason: string;
  evidence: Record<string, unknown>;
  subject: string;
  validUntil: string | null;
  commitmentAllowed: boolean;
};

async function verdictOf(type: string, matter: string, caseId: string): Promise<VerdictReply> {
  const reply = await t.gql<{ checkCertificates: VerdictReply[] }>(
    CHECK_ONE,
    { subject: subjectInput(caseId), type },
    window.headers(matter),
  );
  expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
  return reply.data!.checkCertificates[0];
}

describe("the catalogue", () => {
  it("lists at least 12 certificate types and the matters with their certificates and roles", async () => {
    expect(registriesOf.size).toBeGreaterThanOrEqual(12);
    for (const { type } of CASES) expect(registriesOf.has(type), type).toBe(true);
    const reply = await t.gql<{
      matters: {
        code: string;
        subjects: { role: string }[];
        certificates: { certificate: { id: string } }[];
      }[];
    }>(
      "{ matters { code subjects { role } certificates { certificate { id } } } }",
      {},
      window.headers("newborn"),
    );
    const newborn = reply.data!.matters.find((matter) => matter.code === "newborn")!;
    expect(newborn.subjects.map((subject) => subject.role)).toEqual(["father", "mother"]);
    for (const code of [
      "public-rental-housing",
      "home-purchase-qualification",
      "newborn",
      "enterprise-change",
      "retirement",
    ]) {
      const matter = reply.data!.matters.find((candidate) => candidate.code === code);
      expect(matter?.certificates.length, code).toBeGreaterThan(0);
    }
  });
});

describe("one check, each registry at most once", () => {
  it("a 3-certificate matter calls population, property and social insurance once each", async () => {
    // A subject no other test reads, so nothing of it is in the gateway's entity cache.
    const samples = new Set(CASES.flatMap((c) => [c.satisfied, c.notSatisfied]).map((c) => t.sample(c)));
    const rows = await t.stack.db.query<{ id_number: string }>(
      "SELECT id_number FROM population.persons WHERE status = 'ACTIVE' ORDER BY id_number LIMIT 50",
    );
    const fresh = rows.map((row) => row.id_number).find((id) => !samples.has(id))!;
    const before = await fetchCounts(t);
    const reply = await t.gql<{
      checkMatter: { outcome: string; verdicts: { certificate: { id: string }; status: string }[] };
    }>(
      `query($id: IdNumber!) { checkMatter(matter: "public-rental-housing", subjects: [{ idNumber: $id }]) {
        outcome verdicts { certificate { id } status } } }`,
      { id: fresh },
      window.headers("public-rental-housing"),
    );
    const after = await fetchCounts(t);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.checkMatter.verdicts.map((verdict) => verdict.certificate.id)).toEqual([
      "household-registration",
      "no-housing",
      "contribution-months",
    ]);
    expect(reply.data!.checkMatter.verdicts.every((verdict) => verdict.status !== "UNDETERMINED")).toBe(true);
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect({
      certificates: delta("certificates"),
      population: delta("population"),
      property: delta("property"),
      "social-insurance": delta("social-insurance"),
      "legal-entity": delta("legal-entity"),
    }).toEqual({ certificates: 1, population: 1, property: 1, "social-insurance": 1, "legal-entity": 0 });
  });
});

// Before any other check, so the gateway's entity cache holds no data of the down registry for
// these subjects; in this order no round reads what a later one takes down.
describe.each(["legal-entity", "population", "property", "social-insurance"])(
  "%s unreachable",
  (registry) => {
    let restore: () => Promise<void>;
    beforeAll(async () => {
      restore = await takeDown(t, registry);
    });
    afterAll(async () => {
      await restore();
    });

    it("every certificate reading it is UNDETERMINED, never NOT_SATISFIED", async () => {
      const affected = CASES.filter((c) => registriesOf.get(c.type)!.includes(registry));
      expect(affected.length).toBeGreaterThan(0);
      for (const c of affected) {
        const verdict = await verdictOf(c.type, c.matter, c.satisfied);
        expect([c.type, verdict.status]).toEqual([c.type, "UNDETERMINED"]);
        expect(verdict.validUntil).toBeNull();
        // Retirement takes no commitment for a pension (its schema/matters file says so).
        expect(verdict.commitmentAllowed).toBe(c.type !== "pension-receipt");
      }
    });

    it("a commitment (告知承诺) can be recorded for it, and the re-check resolves it once the registry answers", async () => {
      // A certificate that reads nothing a later round takes down: its re-check fills the cache.
      const type = {
        "legal-entity": "enterprise-active",
        population: "household-registration",
        property: "no-housing",
      }[registry];
      const c = CASES.find((candidate) => candidate.type === (type ?? "contribution-months"))!;
      expect(registriesOf.get(c.type)).toContain(registry);
      const caseNumber = `CASE-${registry}`;
      const record = await t.gql<{
        recordCommitment: { id: string; status: string; subject: string; reason: string; reasonCode: string };
      }>(
        `mutation($input: CommitmentInput!) { recordCommitment(input: $input) { id status subject reason reasonCode } }`,
        {
          input: {
            matter: c.matter,
            certificate: c.type,
            subject: subjectInput(c.satisfied),
            statement: "本人承诺所述属实",
          },
        },
        window.headers(c.matter, caseNumber),
      );
      expect(record.errors).toBeUndefined();
      expect(record.data!.recordCommitment.status).toBe("PENDING");
      expect(record.data!.recordCommitment.reason).toContain(registry);
      expect(record.data!.recordCommitment.reasonCode).toBe("REGISTRY_UNAVAILABLE");
      const pending = await t.gql<{ pendingCommitments: { id: string }[] }>(
        `query($c: String) { pendingCommitments(caseNumber: $c) { id } }`,
        { c: caseNumber },
        window.headers(c.matter),
      );
      expect(pending.data!.pendingCommitments.map((p) => p.id)).toEqual([record.data!.recordCommitment.id]);

      const stillDown = await t.gql<{ recheckCommitments: { status: string }[] }>(
        `mutation($c: String) { recheckCommitments(caseNumber: $c) { status } }`,
        { c: caseNumber },
        window.headers(c.matter),
      );
      expect(stillDown.errors, JSON.stringify(stillDown.errors)).toBeUndefined();
      expect(stillDown.data!.recheckCommitments.map((p) => p.status)).toEqual(["PENDING"]);
      await restore();
      restore = async () => undefined;
      const resolved = await t.gql<{
        recheckCommitments: { status: string; resolution: string; resolutionCode: string; checks: number }[];
      }>(
        `mutation($c: String) { recheckCommitments(caseNumber: $c) { status resolution resolutionCode checks } }`,
        { c: caseNumber },
        window.headers(c.matter),
      );
      expect(resolved.errors, JSON.stringify(resolved.errors)).toBeUndefined();
      expect(resolved.data!.recheckCommitments).toMatchObject([{ status: "CONFIRMED", checks: 2 }]);
      // The resolution names its reason as data too, as the verdict's reasonCode does.
      expect(resolved.data!.recheckCommitments[0].resolutionCode).toMatch(/^[A-Z][A-Z0-9_]+$/);
      const after = await t.gql<{ pendingCommitments: unknown[] }>(
        `query($c: String) { pendingCommitments(caseNumber: $c) { id } }`,
        { c: caseNumber },
        window.headers(c.matter),
      );
      expect(after.data!.pendingCommitments).toEqual([]);
    });
  },
);

describe.each(CASES)("$type", (c) => {
  it(`SATISFIED for ${c.satisfied}`, async () => {
    const verdict = await verdictOf(c.type, c.matter, c.satisfied);
    expect([verdict.status, verdict.reason]).toEqual(["SATISFIED", verdict.reason]);
    expect(verdict.validUntil).not.toBeNull();
    expect(Object.keys(verdict.evidence).length).toBeGreaterThan(0);
  });
  it(`NOT_SATISFIED for ${c.notSatisfied}`, async () => {
    const verdict = await verdictOf(c.type, c.matter, c.notSatisfied);
    expect([verdict.status, verdict.reason]).toEqual(["NOT_SATISFIED", verdict.reason]);
    expect(verdict.commitmentAllowed).toBe(false);
  });
});

describe("matters and the policy", () => {
  it("the newborn event checks both parents in one request, one fetch per registry", async () => {
    const before = await fetchCounts(t);
    const reply = await t.gql<{
      checkMatter: {
        outcome: string;
        verdicts: { certificate: { id: string }; role: string; status: string; subject: string }[];
      };
    }>(
      `query($a: IdNumber!, $b: IdNumber!) { checkMatter(matter: "newborn", subjects: [
        { role: "father", idNumber: $a }, { role: "mother", idNumber: $b }]) {
        outcome verdicts { certificate { id } role status subject } } }`,
      { a: t.sample("couple-newborn-parent-a"), b: t.sample("couple-newborn-parent-b") },
      window.headers("newborn"),
    );
    const after = await fetchCounts(t);
    expect(reply.errors).toBeUndefined();
    const verdicts = reply.data!.checkMatter.verdicts;
    expect(verdicts).toHaveLength(8);
    expect(new Set(verdicts.map((v) => v.role))).toEqual(new Set(["father", "mother"]));
    expect(
      verdicts.every((v) => v.status === "SATISFIED"),
      JSON.stringify(verdicts),
    ).toBe(true);
    // The window holds no clear-value grant: subjects come back masked.
    expect(verdicts[0].subject).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    for (const name of ["population", "social-insurance"]) {
      expect((after.get(name) ?? 0) - (before.get(name) ?? 0), name).toBeLessThanOrEqual(1);
    }
    // Audited twice: the check (with its certificate types) and its data request, as the caller.
    const requestId = reply.headers.get("x-request-id")!;
    const { records } = await searchRecords(
      t.stack.db,
      { matter: "newborn", operator: "clerk-042" },
      { limit: 20 },
    );
    const check = records.find((record) => record.requestId === requestId)!;
    expect(check).toMatchObject({ clientId: window.clientId, subgraphs: ["certificates"], outcome: "ok" });
    expect(check.certificates).toEqual([
      "household-registration",
      "household-relation",
      "insurance-enrolment",
      "marital-relation",
    ]);
    const data = records.find((record) => record.requestId === `${requestId}:check`)!;
    expect(data).toMatchObject({
      clientId: window.clientId,
      operationName: "CertificateCheck",
      outcome: "ok",
    });
    expect(data.subjects).toEqual(
      [t.sample("couple-newborn-parent-a"), t.sample("couple-newborn-parent-b")].sort(),
    );
    // The auditors' statistics count checks per certificate type from those records.
    const stats = await statistics(t.stack.db, new Date(Date.now() - 3_600_000), new Date(), "Asia/Shanghai");
    const tally = (id: string) => stats.perCertificate.find((entry) => entry.key === id)?.calls ?? 0;
    for (const id of check.certificates) expect(tally(id), id).toBeGreaterThanOrEqual(1);
  });

  it("checkMatter must name the matter the request serves", async () => {
    const reply = await t.gql(
      `query($id: IdNumber!) { checkMatter(matter: "public-rental-housing", subjects: [{ idNumber: $id }]) { outcome } }`,
      { id: t.sample("person-showcase") },
      window.headers("retirement"),
    );
    expect(reply.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("a certificate whose fields the matter does not declare is refused (minimum necessary)", async () => {
    const reply = await t.gql(
      CHECK_ONE,
      { subject: subjectInput("person-showcase"), type: "no-housing" },
      window.headers("enterprise-change"),
    );
    expect(reply.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a client without grants gets the gateway's own refusal of the data request", async () => {
    const { identity } = t.stack.gateway.access;
    const bare = await identity.createClient({
      name: "bare-window",
      role: "window",
      department: "government-service-center",
    });
    const reply = await t.gql(
      CHECK_ONE,
      { subject: subjectInput("person-showcase"), type: "no-housing" },
      {
        ...window.headers("public-rental-housing"),
        authorization: `Bearer ${bare.apiKey}`,
      },
    );
    expect(reply.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(reply.errors?.[0]?.message).toContain("CONDITIONAL");
  });

  it("a commitment is refused when the shared data decides", async () => {
    const reply = await t.gql(
      `mutation($input: CommitmentInput!) { recordCommitment(input: $input) { id } }`,
      {
        input: {
          matter: "public-rental-housing",
          certificate: "no-housing",
          subject: subjectInput("person-one-home"),
          statement: "I own no home",
        },
      },
      window.headers("public-rental-housing", "CASE-LIE"),
    );
    expect(reply.errors?.[0]?.extensions?.code).toBe("COMMITMENT_NOT_NEEDED");
  });
});
