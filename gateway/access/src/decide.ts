import type { Sensitivity } from "@onecert/subgraph-kit";
import type { Matter, MatterCatalogue } from "./matters";
import type { FieldShare } from "./share-index";
import type { AuthenticatedClient, Grant, Role } from "./types";

/** Roles that never read registry data (separation of duties): they audit and administer. */
export const NON_DATA_ROLES: readonly Role[] = ["auditor", "admin", "service"];

export type Decision =
  | { allowed: true; /** Sensitive values may be shown unmasked. */ clear: boolean }
  | { allowed: false; rule: string };

/** The grants of one client that serve one matter, indexed by the field names they cover. */
export interface GrantView {
  covers(typeName: string, fieldName: string): boolean;
  clear(typeName: string, fieldName: string): boolean;
}

/** Indexes a client's active grants for the matter of the request. */
export function grantView(grants: readonly Grant[], matterCode: string): GrantView {
  const covered = new Set<string>();
  const clear = new Set<string>();
  for (const grant of grants) {
    if (!grant.matters.includes(matterCode)) continue;
    for (const field of grant.fields) {
      covered.add(field);
      if (grant.clearValues) clear.add(field);
    }
  }
  const has = (set: Set<string>, typeName: string, fieldName: string) =>
    set.has(`${typeName}.${fieldName}`) || set.has(`${typeName}.*`);
  return {
    covers: (typeName, fieldName) => has(covered, typeName, fieldName),
    clear: (typeName, fieldName) => has(clear, typeName, fieldName),
  };
}

export interface DecisionInput {
  client: AuthenticatedClient;
  matter: Matter;
  matters: MatterCatalogue;
  grants: GrantView;
  typeName: string;
  fieldName: string;
  share: FieldShare | undefined;
}

/**
 * The sharing rules for one selected field, in the order a reviewer reads them: who may read
 * registry data at all, minimum necessary for the matter, then the field's share level.
 */
export function decide(input: DecisionInput): Decision {
  const { client, matter, share, typeName, fieldName } = input;
  const field = `${typeName}.${fieldName}`;
  if (NON_DATA_ROLES.includes(client.role)) {
    return { allowed: false, rule: `role ${client.role} may not read registry data` };
  }
  if (!share) return { allowed: false, rule: `${field} has no sharing rule` };
  if (!input.matters.allows(matter, typeName, fieldName, share.departments)) {
    const wildcard =
      matter.fields.includes(`${typeName}.*`) || matter.pendingFields.includes(`${typeName}.*`);
    return {
      allowed: false,
      rule: wildcard
        ? `minimum necessary: matter ${matter.code} declares ${typeName}.*, which covers ${matter.department}'s fields only; ${field} is ${[...share.departments].join(", ")}'s and must be named`
        : `minimum necessary: matter ${matter.code} does not declare ${field}`,
    };
  }
  const own = share.departments.has(client.department);
  if (own) return { allowed: true, clear: true };
  const granted = input.grants.covers(typeName, fieldName);
  const clear = granted && input.grants.clear(typeName, fieldName);
  switch (share.level) {
    case "UNCONDITIONAL":
      return { allowed: true, clear };
    case "CONDITIONAL":
      return granted
        ? { allowed: true, clear }
        : { allowed: false, rule: `${field} is CONDITIONAL: no approved grant for matter ${matter.code}` };
    case "NOT_SHARED":
      return { allowed: false, rule: `${field} is NOT_SHARED outside ${[...share.departments].join(", ")}` };
  }
}

/** The sensitivities of a field that masking applies to when its value is not cleared. */
export function maskedSensitivities(
  share: FieldShare | undefined,
  isMasked: (s: Sensitivity) => boolean,
): Sensitivity[] {
  return (share?.sensitivity ?? []).filter(isMasked);
}
