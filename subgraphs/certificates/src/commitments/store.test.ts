import type { Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateCertificates } from "../migrations";
import { createCommitmentStore, type NewCommitment } from "./store";

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  await migrateCertificates(db);
});
afterAll(async () => {
  await db?.close();
});

const input = (overrides: Partial<NewCommitment> = {}): NewCommitment => ({
  matter: "public-rental-housing",
  caseNumber: "C-1",
  certificate: "no-housing",
  role: "applicant",
  subjectKind: "person",
  subjectKey: "11010519491231002X",
  parameters: { city: "9901" },
  statement: "本人名下无房",
  reason: "no answer from the property registry",
  reasonCode: "REGISTRY_UNAVAILABLE",
  recordedBy: "cl_window",
  department: "government-service-center",
  operator: "clerk-1",
  ...overrides,
});

describe("commitment store", () => {
  it("records once per matter, case, certificate and subject, and lists pending ones", async () => {
    const store = createCommitmentStore(db);
    const first = await store.record(input());
    const again = await store.record(input({ statement: "again" }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ record: first.record, created: false });
    const other = await store.record(input({ caseNumber: "C-2" }));
    expect(other.created).toBe(true);
    expect(
      (await store.pending({ matter: "public-rental-housing", caseNumber: "C-1" })).map((r) => r.id),
    ).toEqual([first.record.id]);
    expect(first.record.parameters).toEqual({ city: "9901" });
    expect(first.record.reasonCode).toBe("REGISTRY_UNAVAILABLE");
  });

  it("keeps each department's commitments to itself, even for the same case", async () => {
    const store = createCommitmentStore(db);
    const ours = await store.record(input({ caseNumber: "C-9" }));
    const theirs = await store.record(
      input({ caseNumber: "C-9", department: "civil-affairs", recordedBy: "cl_civil" }),
    );
    expect(theirs.created).toBe(true);
    expect(theirs.record.id).not.toBe(ours.record.id);
    const seen = (department: string) =>
      store
        .pending({ matter: "public-rental-housing", caseNumber: "C-9", department })
        .then((rows) => rows.map((r) => r.id));
    expect(await seen("government-service-center")).toEqual([ours.record.id]);
    expect(await seen("civil-affairs")).toEqual([theirs.record.id]);
    expect(await seen("public-security")).toEqual([]);
  });

  it("keeps a commitment pending while undetermined and resolves it on a verdict", async () => {
    const store = createCommitmentStore(db);
    const { record } = await store.record(input({ caseNumber: "C-3" }));
    const still = await store.noteCheck(record.id, "UNDETERMINED", "still down", "REGISTRY_UNAVAILABLE");
    expect(still).toMatchObject({
      status: "PENDING",
      checks: 1,
      resolvedAt: null,
      resolution: null,
      resolutionCode: null,
    });
    const confirmed = await store.noteCheck(record.id, "SATISFIED", "no home in the city", "NO_HOME_IN_CITY");
    expect(confirmed).toMatchObject({
      status: "CONFIRMED",
      checks: 2,
      resolution: "no home in the city",
      resolutionCode: "NO_HOME_IN_CITY",
    });
    expect(confirmed!.resolvedAt).toBeInstanceOf(Date);
    expect(await store.noteCheck(record.id, "NOT_SATISFIED", "late")).toBeNull();
    const { record: lie } = await store.record(input({ caseNumber: "C-4" }));
    expect(await store.noteCheck(lie.id, "NOT_SATISFIED", "owns a home")).toMatchObject({
      status: "CONTRADICTED",
    });
    expect(await store.pending({ caseNumber: "C-4" })).toEqual([]);
  });
});
