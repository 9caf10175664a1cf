import type { Queryable } from "@onecert/subgraph-kit";

/** A matter's checks in a period: how many were decided from the shared data alone. */
export interface MatterFigures {
  matter: string;
  checks: number;
  /** SATISFIED: every proof the matter needs came from the shared data, nothing else asked for. */
  satisfied: number;
  notSatisfied: number;
  undetermined: number;
  /** Commitments (告知承诺) recorded for the matter: proofs the shared data could not decide. */
  commitments: number;
}

export interface CheckFigures {
  from: string;
  to: string;
  perMatter: MatterFigures[];
  /** Proofs issued per certificate type, most first. */
  proofsIssued: { certificate: string; count: number }[];
}

/**
 * The supervision figures of [from, to) from what the certificates service counted
 * (certificates.check_stats, by the hour) and its commitments. Hours are whole: a period that
 * starts or ends inside an hour counts that hour's checks whole.
 */
export async function checkFigures(db: Queryable, from: Date, to: Date): Promise<CheckFigures> {
  const [tables] = await db.query<{ found: string | null }>(
    "SELECT to_regclass('certificates.check_stats')::text AS found",
  );
  // A gateway whose database the certificates service does not share has no figures to give.
  if (!tables?.found)
    return { from: from.toISOString(), to: to.toISOString(), perMatter: [], proofsIssued: [] };
  const checks = await db.query<{ matter: string; key: string; count: number }>(
    `SELECT matter, key, sum(count)::int AS count FROM certificates.check_stats
     WHERE kind = 'check' AND hour >= date_trunc('hour', $1::timestamptz) AND hour < $2
     GROUP BY 1, 2`,
    [from, to],
  );
  const commitments = await db.query<{ matter: string; count: number }>(
    `SELECT matter, count(*)::int AS count FROM certificates.commitments
     WHERE recorded_at >= $1 AND recorded_at < $2 GROUP BY 1`,
    [from, to],
  );
  const proofs = await db.query<{ certificate: string; count: number }>(
    `SELECT key AS certificate, sum(count)::int AS count FROM certificates.check_stats
     WHERE kind = 'proof' AND hour >= date_trunc('hour', $1::timestamptz) AND hour < $2
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    [from, to],
  );
  const matters = new Map<string, MatterFigures>();
  const of = (matter: string) => {
    let figures = matters.get(matter);
    if (!figures) {
      figures = { matter, checks: 0, satisfied: 0, notSatisfied: 0, undetermined: 0, commitments: 0 };
      matters.set(matter, figures);
    }
    return figures;
  };
  for (const row of checks) {
    const figures = of(row.matter);
    figures.checks += row.count;
    if (row.key === "SATISFIED") figures.satisfied += row.count;
    else if (row.key === "NOT_SATISFIED") figures.notSatisfied += row.count;
    else figures.undetermined += row.count;
  }
  for (const row of commitments) of(row.matter).commitments = row.count;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    perMatter: [...matters.values()].sort((a, b) => b.checks - a.checks || a.matter.localeCompare(b.matter)),
    proofsIssued: proofs.map((row) => ({ certificate: row.certificate, count: row.count })),
  };
}
