import { AUDIT_KINDS, AUDIT_OUTCOMES } from "@onecert/audit";
import { z } from "zod";

// The auditor API's answers as a client receives them (see models.ts).

const at = z.string().meta({ format: "date-time" });
const list = z.array(z.string());

export const auditRecord = z
  .looseObject({
    v: z.number().int(),
    seq: z.number().int(),
    id: z.string(),
    at,
    loggedAt: at,
    requestId: z.string(),
    replica: z.string(),
    kind: z.enum(AUDIT_KINDS as [string, ...string[]]),
    method: z.string(),
    path: z.string(),
    clientId: z.string().nullable(),
    clientName: z.string().nullable(),
    role: z.string().nullable(),
    department: z.string().nullable(),
    operatorId: z.string().nullable(),
    matterCode: z.string().nullable(),
    caseNumber: z.string().nullable(),
    subjects: list,
    fields: list,
    subgraphs: list,
    traceId: z
      .string()
      .nullable()
      .optional()
      .meta({ description: "The OpenTelemetry trace of the request, when it was traced" }),
    outcome: z.enum(AUDIT_OUTCOMES as [string, ...string[]]),
    status: z.number().int(),
    errorCode: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({
    id: "AuditRecord",
    description: "One record of the hash chain (every field: docs/ and the README)",
  });

export const searchPage = z.object({
  records: z.array(auditRecord),
  nextCursor: z.string().nullable().meta({ description: "Pass back as cursor for the next, older page" }),
});

export const subjectHistory = z.object({
  subject: z.string(),
  accesses: z.array(
    z.object({
      at,
      client: z.string().nullable(),
      department: z.string().nullable(),
      operator: z.string().nullable(),
      matter: z.string().nullable(),
      caseNumber: z.string().nullable(),
      fields: list,
      outcome: z.string(),
      status: z.number().int(),
      errorCode: z.string().nullable(),
      seq: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const tally = z.object({ key: z.string(), calls: z.number().int(), denied: z.number().int() });

export const statistics = z.object({
  from: at,
  to: at,
  perDepartment: z.array(tally),
  perRegistry: z.array(tally),
  perCertificate: z.array(tally),
  perDay: z.array(tally),
  perDepartmentDay: z.array(tally.extend({ day: z.string().meta({ description: "YYYY-MM-DD, local" }) })),
});

export const checkFigures = z
  .object({
    from: at,
    to: at,
    perMatter: z.array(
      z.object({
        matter: z.string(),
        checks: z.number().int(),
        satisfied: z.number().int().meta({ description: "Decided from the shared data alone" }),
        notSatisfied: z.number().int(),
        undetermined: z.number().int(),
        commitments: z.number().int().meta({ description: "Commitments (告知承诺) recorded" }),
      }),
    ),
    proofsIssued: z.array(z.object({ certificate: z.string(), count: z.number().int() })),
  })
  .meta({ id: "CheckFigures" });

export const anomalies = z.object({
  from: at,
  to: at,
  anomalies: z.array(
    z.object({
      kind: z.enum(["subjects-per-hour", "outside-working-hours", "denial-burst"]),
      clientId: z.string().nullable(),
      clientName: z.string().nullable(),
      operatorId: z.string().nullable(),
      from: at,
      to: at,
      count: z.number().int(),
      threshold: z.number(),
      detail: z.string(),
    }),
  ),
});

export const publicKey = z.object({
  keyId: z.string(),
  publicKey: z.string().meta({ description: "SPKI PEM" }),
});

export const publicKeys = z.array(publicKey);

export const treeHead = z
  .object({
    treeSize: z.number().int(),
    rootHash: z.string(),
    timestamp: at,
    suite: z.string().meta({ description: 'hash suite of the tree: "sha256" or "sm3"' }),
    keyId: z.string(),
    alg: z
      .string()
      .optional()
      .meta({ description: 'signature algorithm: "EdDSA" or "SM2"; absent on version-1 heads (EdDSA)' }),
    signature: z.string(),
  })
  .meta({ id: "SignedTreeHead" });

const hashes = z.array(z.string().meta({ description: "hex" }));

export const consistencyProof = z.object({ from: z.number().int(), to: z.number().int(), proof: hashes });
export const recordHashes = z.object({ from: z.number().int(), to: z.number().int(), hashes: list });
export const inclusionProof = z.object({
  seq: z.number().int(),
  treeSize: z.number().int(),
  recordHash: z.string(),
  leafHash: z.string(),
  proof: hashes,
});
