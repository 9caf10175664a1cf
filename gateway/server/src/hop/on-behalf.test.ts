import {
  ACCESS_SCHEMA,
  accessMigrations,
  AuthenticationError,
  createIdentityStore,
  type AuthenticatedClient,
  type ClientRecord,
  type IdentityStore,
  type RequestPurpose,
} from "@onecert/access";
import {
  createKeyring,
  KEYRING_SCHEMA,
  keyringMigrations,
  migrate,
  openDb,
  signJwt,
  type Db,
  type HopClaims,
  type SigningKey,
} from "@onecert/subgraph-kit";
import { createTestHop, type AssertionOverrides, type TestHop } from "@onecert/subgraph-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onBehalfGate, type OnBehalfGate } from "./on-behalf";

const ISSUER = "onecert-gateway";
const NONE: RequestPurpose = { operatorId: null, matterCode: null, caseNumber: null };

let db: Db;
let identity: IdentityStore;
let gate: OnBehalfGate;
let gateway: TestHop;
let signing: SigningKey;
let window: ClientRecord;

beforeAll(async () => {
  db = openDb();
  await migrate(db, ACCESS_SCHEMA, accessMigrations);
  await migrate(db, KEYRING_SCHEMA, keyringMigrations);
  identity = createIdentityStore(db);
  const keyring = createKeyring(db, { purpose: "hop" });
  signing = await keyring.signingKey();
  // Assertions made to order, signed with the gateway's own hop key.
  gateway = createTestHop(signing);
  gate = onBehalfGate({ keyring, identity, trusted: ["certificates"], issuer: ISSUER });
  ({ client: window } = await identity.createClient({
    name: "hall-east",
    role: "window",
    department: "gov-center",
    safelist: true,
    rateLimitPerMinute: 120,
  }));
});
afterAll(() => db.close());

const service = (overrides: Partial<AuthenticatedClient> = {}): AuthenticatedClient => ({
  id: "cl_certificates",
  name: "certificates",
  role: "service",
  department: "onecert",
  safelist: false,
  rateLimitPerMinute: null,
  via: "api-key",
  credentialId: "key_service",
  ...overrides,
});

const cli = (record: ClientRecord) => ({
  id: record.id,
  name: record.name,
  role: record.role,
  department: record.department,
});

const assertion = (claims: AssertionOverrides["claims"] = {}, audience = "certificates") =>
  gateway.assert(audience, "{}", {
    claims: { cli: cli(window), op: "clerk-1", mat: "M-1", cas: null, ...claims },
  });

async function refusal(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
  return (error as Error).message;
}

describe("onBehalfGate", () => {
  it("resolves the assertion's client as it is now, with its purpose, naming the service and assertion", async () => {
    const token = assertion({ jti: "hop-77" });
    const caller = service();
    const resolved = await gate.resolve(caller, token, NONE);
    expect(resolved).toEqual({
      client: {
        id: window.id,
        name: "hall-east",
        role: "window",
        department: "gov-center",
        safelist: true,
        rateLimitPerMinute: 120,
        via: "on-behalf",
        credentialId: "key_service",
      },
      purpose: { operatorId: "clerk-1", matterCode: "M-1", caseNumber: null },
      onBehalf: { service: caller, assertionId: "hop-77" },
    });
  });

  it("accepts only a service client named as a trusted subgraph", async () => {
    const token = assertion();
    expect(await refusal(gate.resolve(service({ role: "window" }), token, NONE))).toMatch(
      /not a trusted service/,
    );
    expect(await refusal(gate.resolve(service({ role: "admin" }), token, NONE))).toMatch(/not a trusted/);
    expect(await refusal(gate.resolve(service({ name: "population" }), token, NONE))).toMatch(
      /not a trusted/,
    );
  });

  it("accepts only an assertion the gateway signed for that service, of the hop type and still valid", async () => {
    const caller = service();
    expect(await refusal(gate.resolve(caller, "not-a-jws", NONE))).toMatch(/not a JWS/);
    // Meant for another subgraph: a registry cannot pass on what the gateway sent it.
    await refusal(gate.resolve(caller, assertion({}, "population"), NONE));
    await refusal(gate.resolve(caller, assertion({ iss: "someone-else" }), NONE));
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(gate.resolve(caller, assertion({ iat: now - 60, exp: now - 30 }), NONE))).toMatch(
      /expired/,
    );
    // Signed by a key that is not the gateway's, even under the gateway's kid.
    const forged = createTestHop().assert("certificates", "{}", {
      claims: { cli: cli(window) },
      kid: signing.kid,
    });
    await refusal(gate.resolve(caller, forged, NONE));
    const stranger = createTestHop().assert("certificates", "{}", { claims: { cli: cli(window) } });
    await refusal(gate.resolve(caller, stranger, NONE));
    const proof = signJwt(
      signing.suite,
      signing.key,
      { kid: signing.kid, typ: "onecert-proof+jwt" },
      {
        iss: ISSUER,
        aud: "certificates",
        jti: "p",
        iat: now,
        exp: now + 30,
        cli: cli(window),
      },
    );
    await refusal(gate.resolve(caller, proof, NONE));
  });

  it("refuses an assertion naming no client, an unknown one, or one revoked since", async () => {
    expect(await refusal(gate.resolve(service(), assertion({ cli: null }), NONE))).toMatch(/names no client/);
    const ghost = { ...cli(window), id: "cl_000000000000000000000000" };
    expect(await refusal(gate.resolve(service(), assertion({ cli: ghost }), NONE))).toMatch(
      /unknown or revoked/,
    );
    const { client: leaving } = await identity.createClient({
      name: "hall-old",
      role: "window",
      department: "gov",
    });
    const token = assertion({ cli: cli(leaving) });
    await expect(gate.resolve(service(), token, NONE)).resolves.toMatchObject({ client: { id: leaving.id } });
    await identity.revokeClient(leaving.id);
    expect(await refusal(gate.resolve(service(), assertion({ cli: cli(leaving) }), NONE))).toMatch(/revoked/);
  });

  it("takes the purpose of the request served: a stated one must equal it", async () => {
    const stated = (purpose: Partial<RequestPurpose>) => ({ ...NONE, ...purpose });
    const token = assertion({ op: "clerk-1", mat: "M-1", cas: "C-1" });
    await expect(
      gate.resolve(service(), token, stated({ operatorId: "clerk-1", matterCode: "M-1" })),
    ).resolves.toMatchObject({
      purpose: { operatorId: "clerk-1", matterCode: "M-1", caseNumber: "C-1" },
    });
    expect(await refusal(gate.resolve(service(), token, stated({ operatorId: "clerk-2" })))).toMatch(
      /operatorId differs/,
    );
    expect(await refusal(gate.resolve(service(), token, stated({ matterCode: "M-2" })))).toMatch(
      /matterCode differs/,
    );
    expect(await refusal(gate.resolve(service(), token, stated({ caseNumber: "C-2" })))).toMatch(
      /caseNumber differs/,
    );
  });

  it("lets a case number be stated only when the request served left it open", async () => {
    const open = assertion({ cas: null } satisfies Partial<HopClaims>);
    const resolved = await gate.resolve(service(), open, { ...NONE, caseNumber: "C-5" });
    expect(resolved.purpose).toEqual({ operatorId: "clerk-1", matterCode: "M-1", caseNumber: "C-5" });
    // Without operator or matter in the assertion, neither may be filled in by the service.
    const bare = assertion({ op: null, mat: null });
    expect(await refusal(gate.resolve(service(), bare, { ...NONE, operatorId: "clerk-9" }))).toMatch(
      /operatorId/,
    );
    expect(await refusal(gate.resolve(service(), bare, { ...NONE, matterCode: "M-9" }))).toMatch(
      /matterCode/,
    );
  });
});
