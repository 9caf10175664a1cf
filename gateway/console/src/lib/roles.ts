/**
 * Which console pages each role opens. The gateway refuses the APIs behind them by the client's
 * role anyway; this keeps a person from being shown pages that would only answer 403.
 */
export type ConsoleRole = "clerk" | "officer" | "auditor" | "supervisor" | "admin";

export type PageId =
  | "clerk"
  | "verify"
  | "commitments"
  | "department"
  | "audit"
  | "timeline"
  | "supervision"
  | "admin"
  | "graphiql";

/** Each page's path below /console. */
export const PAGE_PATHS: Readonly<Record<PageId, string>> = {
  clerk: "/console/clerk",
  verify: "/console/clerk/verify",
  commitments: "/console/clerk/commitments",
  department: "/console/department",
  audit: "/console/audit",
  timeline: "/console/audit/timeline",
  supervision: "/console/supervision",
  admin: "/console/admin",
  graphiql: "/console/graphiql",
};

/** The first page is where a role lands after login. */
export const ROLE_PAGES: Readonly<Record<ConsoleRole, readonly PageId[]>> = {
  clerk: ["clerk", "verify", "commitments", "graphiql"],
  officer: ["department", "graphiql"],
  auditor: ["audit", "timeline"],
  supervisor: ["supervision"],
  admin: ["admin"],
};

export const homeOf = (role: ConsoleRole): string => PAGE_PATHS[ROLE_PAGES[role][0]];

/** The page a path shows (exact match, trailing slash ignored); null for none. */
export function pageAt(path: string): PageId | null {
  const bare = path.replace(/\/+$/, "");
  const found = (Object.entries(PAGE_PATHS) as [PageId, string][]).find(([, at]) => at === bare);
  return found ? found[0] : null;
}

export const mayOpen = (role: ConsoleRole, page: PageId): boolean => ROLE_PAGES[role].includes(page);
