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
}

export interface Dashboard {
  total: Statistics;
  /** Calls per department for each day: the endpoint counts a range, so each day is asked alone. */
  days: { day: string; perDepartment: Tally[] }[];
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
  const [total, ...perDay] = await Promise.all([
    adminApi.get<Statistics>("/audit/stats", { from: startOf(days[0]), to: endOf(days[days.length - 1]) }),
    ...days.map((day) => adminApi.get<Statistics>("/audit/stats", { from: startOf(day), to: endOf(day) })),
  ]);
  return { total, days: days.map((day, index) => ({ day, perDepartment: perDay[index].perDepartment })) };
}
