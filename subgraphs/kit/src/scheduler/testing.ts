// Helpers of the scheduler's tests: two schedulers on one database stand for two replicas.
import type { Db } from "../db";

/** `db` as one replica reaches it: `down` fails every statement, `cut` the ones it matches. */
export function link(target: Db) {
  const state = { down: false, cut: (_sql: string) => false };
  const linked: Db = {
    ...target,
    query: (sql, params, options) =>
      state.down || state.cut(sql)
        ? Promise.reject(new Error("connection lost"))
        : target.query(sql, params, options),
  };
  return { db: linked, state };
}

/** A promise resolved from outside: a job that runs until the test lets it go. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The history rows of job `name`, oldest first. */
export const history = (db: Db, name: string) =>
  db.query<{
    fence: number;
    owner: string;
    scheduled_for: Date | null;
    outcome: string | null;
    error: string | null;
  }>(
    "SELECT fence, owner, scheduled_for, outcome, error FROM scheduler.runs WHERE name = $1 ORDER BY fence",
    [name],
  );
