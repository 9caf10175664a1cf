import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { operationHash, type AuthenticatedClient } from "@onecert/access";
import { auditResponse, bodyDigest, type AuditScope } from "@onecert/audit";
import {
  ENTERPRISE,
  PERSON_A,
  PERSON_B,
  startInMemoryGateway,
  TEST_MATTER,
  WINDOW,
  type InMemoryGateway,
  type TestRequest,
} from "../../testing";

// What the audit plugin tells a request's audit record: the gateway runs it first, and the
// policy masks the answer after it has read the clear values.

let gateway: InMemoryGateway;

beforeAll(async () => {
  gateway = await startInMemoryGateway();
});

afterAll(() => gateway.stop());

/** A scope as auditResponse opens it, before the audit plugin fills in the GraphQL facts. */
const scope = (client: AuthenticatedClient = WINDOW): AuditScope => ({
  client,
  graphql: null,
  trace: null,
  stream: async () => undefined,
});

async function audited(request: TestRequest) {
  const audit = scope(request.client ?? WINDOW);
  const reply = await gateway.run({ ...request, audit });
  return { reply, facts: audit.graphql!, audit };
}

const CITIZEN = "query Citizen($id: IdNumber!) { person(idNumber: $id) { idNumber name } }";

describe("auditPlugin in the gateway", () => {
  it("records the operation, its hash, the fields returned and the subjects, in clear", async () => {
    const { reply, facts, audit } = await audited({ query: CITIZEN, variables: { id: PERSON_A.idNumber } });
    // The caller got masked values; the record holds who the request was about.
    expect(reply.data).toEqual({ person: { idNumber: "110105********002X", name: "张*丰" } });
    expect(facts).toEqual({
      operationName: "Citizen",
      operationHash: operationHash(CITIZEN),
      subjects: new Set([PERSON_A.idNumber]),
      fields: new Set(["person.idNumber", "person.name"]),
      errorCodes: [],
    });
    expect(audit.trace).toBe(reply.trace);
    expect(audit.trace!.subgraphs).toEqual(new Set(["people"]));
  });

  it("finds subjects in the query text and in the answer, not only in the variables", async () => {
    const query = `{ enterprise(uscc: "${ENTERPRISE.uscc}") { name legalRepresentative { idNumber } } }`;
    const { reply, facts } = await audited({ query });
    expect(reply.data).toEqual({
      enterprise: { name: ENTERPRISE.name, legalRepresentative: { idNumber: "110105********002X" } },
    });
    expect(facts.subjects).toEqual(new Set([ENTERPRISE.uscc, PERSON_A.idNumber]));
    expect(facts.fields).toEqual(new Set(["enterprise.name", "enterprise.legalRepresentative.idNumber"]));
    expect(facts.operationName).toBeNull();
    expect(facts.operationHash).toBe(operationHash(query));
  });

  it("records an answer the response cache served like one fetched, clear values included", async () => {
    // The representative's ID number is in no variable and no literal: only in the answer.
    const query = `query Representative { enterprise(uscc: "${ENTERPRISE.uscc}") { legalRepresentative { idNumber } } }`;
    const fetched = await audited({ query });
    const cached = await audited({ query });
    expect(cached.reply.headers.get("x-cache")).toBe("HIT");
    expect(cached.reply.data).toEqual(fetched.reply.data);
    expect(cached.facts).toEqual(fetched.facts);
    expect(cached.facts.subjects).toEqual(new Set([ENTERPRISE.uscc, PERSON_A.idNumber]));
    expect(cached.audit.trace!.cacheHits).toBe(1);
  });

  it("reads an executed answer before the policy masks it, whatever the order of the plugins", async () => {
    // Reversed, the policy's willSendResponse (which masks) runs before the audit plugin's.
    const reversed = await startInMemoryGateway({
      cache: { enabled: false },
      order: (plugins) => [...plugins].reverse(),
    });
    try {
      const audit = scope();
      const reply = await reversed.run({
        query: `{ enterprise(uscc: "${ENTERPRISE.uscc}") { legalRepresentative { idNumber } } }`,
        audit,
      });
      expect(reply.data).toEqual({ enterprise: { legalRepresentative: { idNumber: "110105********002X" } } });
      expect(audit.graphql!.subjects).toEqual(new Set([ENTERPRISE.uscc, PERSON_A.idNumber]));
    } finally {
      await reversed.stop();
    }
  });

  it("records the codes of a refused request and whom it asked about", async () => {
    const denied = await audited({
      query: CITIZEN.replace("idNumber name", "sex"),
      variables: { id: PERSON_B.idNumber },
    });
    expect(denied.reply.status).toBe(403);
    expect(denied.facts).toMatchObject({ errorCodes: ["FORBIDDEN"], fields: new Set() });
    expect(denied.facts.subjects).toEqual(new Set([PERSON_B.idNumber]));
    const bad = await audited({ query: CITIZEN, variables: { id: "123" } });
    expect(bad.facts).toMatchObject({ operationName: "Citizen", errorCodes: ["BAD_USER_INPUT"] });
  });

  it("gives the trail's record its outcome, error code and registries (through auditResponse)", async () => {
    const record = async (request: TestRequest) => {
      const req = new IncomingMessage(new Socket());
      Object.assign(req, {
        method: "POST",
        url: "/graphql",
        headers: { "x-operator-id": "clerk-1", "x-matter-code": TEST_MATTER },
      });
      const res = new ServerResponse(req);
      const audit = auditResponse(gateway.audit, req, res, "req-audited");
      audit.client = WINDOW;
      const reply = await gateway.run({ ...request, audit });
      const count = gateway.audit.entries.length;
      // What serveGraphQL does with the answer; the record is made as it leaves.
      res.writeHead(reply.status, Object.fromEntries(reply.headers));
      res.end(reply.text);
      await vi.waitFor(() => expect(gateway.audit.entries).toHaveLength(count + 1));
      return { reply, entry: gateway.audit.entries.at(-1)! };
    };
    gateway.audit.entries.length = 0;
    const ok = await record({ query: CITIZEN, variables: { id: PERSON_B.idNumber } });
    expect(ok.entry).toMatchObject({
      kind: "graphql",
      clientId: WINDOW.id,
      matterCode: TEST_MATTER,
      operationName: "Citizen",
      operationHash: operationHash(CITIZEN),
      subjects: [PERSON_B.idNumber],
      fields: ["person.idNumber", "person.name"],
      subgraphs: ["people"],
      outcome: "ok",
      errorCode: null,
      status: 200,
      responseDigest: bodyDigest(ok.reply.text),
    });
    const denied = await record({
      query: CITIZEN.replace("name", "phone"),
      variables: { id: PERSON_B.idNumber },
    });
    expect(denied.entry).toMatchObject({
      outcome: "denied",
      errorCode: "FORBIDDEN",
      status: 403,
      subgraphs: [],
    });
    expect(gateway.audit.entries).toHaveLength(2);
  });
});
