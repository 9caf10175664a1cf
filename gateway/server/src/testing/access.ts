import { createMatterCatalogue } from "@onecert/access";
import type { AuthenticatedClient, Grant, GrantSource, Matter, MatterCatalogue, Role } from "@onecert/access";

let made = 0;

/** A client as the authenticator hands it to the plugins; a window of the service centre unless told otherwise. */
export function testClient(overrides: Partial<AuthenticatedClient> = {}): AuthenticatedClient {
  const role: Role = overrides.role ?? "window";
  const id = overrides.id ?? `cl_${role}_${++made}`;
  return {
    id,
    name: id,
    role,
    department: "government-service-center",
    safelist: false,
    rateLimitPerMinute: null,
    via: "api-key",
    credentialId: `key_${id}`,
    ...overrides,
  };
}

/** The caller of a request that names none: a window of the service centre. */
export const WINDOW = testClient({ id: "cl_window" });

/** Everything the two test registries offer but Person.sex, which no matter declares. */
const MATTER_FIELDS = [
  "Query.person",
  "Query.persons",
  "Query.enterprise",
  "Query.enterpriseCount",
  "Person.idNumber",
  "Person.name",
  "Person.address",
  "Person.phone",
  "Person.enterprises",
  // Market regulation's fields, named one by one: a window's matter's Type.* covers its own only.
  "Enterprise.uscc",
  "Enterprise.name",
  "Enterprise.legalRepresentative",
];

export const TEST_MATTER = "test-matter";
/** A second matter over the same fields: what a cached answer of one must not be reused for. */
export const OTHER_MATTER = "other-matter";

/** A matter over MATTER_FIELDS of the service centre, admitting every department's windows and departments. */
export function testMatter(code: string, overrides: Partial<Matter> = {}): Matter {
  return {
    code,
    name: { zh: code, en: code },
    department: "government-service-center",
    fields: MATTER_FIELDS,
    pendingFields: [],
    // Plugin tests act as several departments under it; admission itself is tested on its own.
    admits: { departments: ["*"], roles: ["window", "department"] },
    restricted: false,
    file: `${code}.yaml`,
    extra: {},
    ...overrides,
  };
}

/** The catalogue of TEST_MATTER and OTHER_MATTER, with the matter files' rule: `Type.field` or `Type.*`. */
export function testMatters(
  matters: Matter[] = [testMatter(TEST_MATTER), testMatter(OTHER_MATTER)],
): MatterCatalogue {
  return createMatterCatalogue(matters);
}

/** Approved grants held in memory: what the policy and the response cache read through GrantSource. */
export class TestGrants implements GrantSource {
  private readonly grants: Grant[] = [];

  /** Approves a grant of `fields` for `matters` (default TEST_MATTER), valid for a day. */
  approve(
    clientId: string,
    fields: string[],
    options: { clearValues?: boolean; matters?: string[] } = {},
  ): Grant {
    const now = new Date();
    const grant: Grant = {
      id: `gr_${this.grants.length + 1}`,
      clientId,
      fields,
      matters: options.matters ?? [TEST_MATTER],
      clearValues: options.clearValues ?? false,
      validFrom: now,
      validUntil: new Date(now.getTime() + 86_400_000),
      status: "APPROVED",
      reason: "test",
      requestedBy: "cl_admin",
      requestedAt: now,
      decidedBy: "cl_admin",
      decidedAt: now,
    };
    this.grants.push(grant);
    return grant;
  }

  revoke(id: string): void {
    const grant = this.grants.find((candidate) => candidate.id === id);
    if (grant) grant.status = "REVOKED";
  }

  async activeGrants(clientId: string, now = new Date()): Promise<Grant[]> {
    return this.grants.filter(
      (grant) =>
        grant.clientId === clientId &&
        grant.status === "APPROVED" &&
        grant.validFrom <= now &&
        now < grant.validUntil,
    );
  }
}
