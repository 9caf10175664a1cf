import { adminApi } from "../../lib/api";

/** GET /admin/audit/stats (gateway/server/src/admin/audit-models.ts). */
export interface Tally {
  key: string;
  calls: number;
  denied: number;
}

export interface Statistics {
  from: string;
  to: string;
  perDepartment: Tally[];
  perRegistry: Tally[];
  perCertificate: Tally[];
  perDay: Tally[];
  /** `key` is the department; `day` local (YYYY-MM-DD). */
  perDepartmentDay: (Tally & { day: string })[];
}

/** GET /admin/audit/checks: what the certificates service decided and issued. */
export interface CheckFigures {
  perMatter: {
    matter: string;
    checks: number;
    satisfied: number;
    notSatisfied: number;
    undetermined: number;
    commitments: number;
  }[];
  proofsIssued: { certificate: string; count: number }[];
}

export interface Dashboard {
  total: Statistics;
  /** Calls per department for each day of the range, days without calls included. */
  days: { day: string; perDepartment: Tally[] }[];
  /** Null when the gateway has no check figures (its certificates service keeps another database). */
  checks: CheckFigures | null;
}

/** The days from `from` to `to` (YYYY-MM-DD, local), at most `limit` of them. */
export function daysBetween(from: string, to: string, limit = 31): string[] {
  const days: string[] = [];
  const at = new Date(`${from}T00:00:00`);
  const end = new Date(`${to}T00:00:00`);
  while (at <= end && days.length < limit) {
    days.push(
      `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`,
    );
    at.setDate(at.getDate() + 1);
  }
  return days;
}

const startOf = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const endOf = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

export async function loadDashboard(from: string, to: string): Promise<Dashboard> {
  const days = daysBetween(from, to);
  const range = { from: startOf(days[0]), to: endOf(days[days.length - 1]) };
  const [total, checks] = await Promise.all([
    adminApi.get<Statistics>("/audit/stats", range),
    adminApi.get<CheckFigures>("/audit/checks", range).catch(() => null),
  ]);
  return {
    total,
    checks,
    days: days.map((day) => ({
      day,
      perDepartment: total.perDepartmentDay.filter((row) => row.day === day),
    })),
  };
}
