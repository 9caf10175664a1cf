import { BACKGROUND_SQL, type Db, type Queryable } from "@onecert/subgraph-kit";
import type {
  EntryKind,
  EntryVersion,
  LiveEntry,
  LiveSnapshot,
  Release,
  ReleaseAction,
  VersionStatus,
} from "./model";

export interface NewVersion {
  kind: EntryKind;
  code: string;
  department: string;
  source: string;
  actor: string;
  reason: string;
}

export interface ReleaseInput {
  kind: EntryKind;
  code: string;
  version: number;
  action: ReleaseAction;
  actor: string;
  reason: string;
}

/** The live catalogue's tables (see migrations.ts). */
export interface CatalogueStore {
  /** The latest release id: it changes exactly when the live catalogue does. 0 before the seed. */
  generation(): Promise<number>;
  /** The live entries and the generation they belong to, read in one statement. */
  live(): Promise<LiveSnapshot>;
  /**
   * Makes the catalogue version 1 of each entry, while nothing but a seed was ever released
   * (the first start, or a start with changed files before any review); false when it kept what
   * it holds: the same seed, or a catalogue a publish, rollback or import has changed.
   */
  seed(
    entries: readonly (Omit<NewVersion, "actor" | "reason"> & { file?: string })[],
    actor: string,
    reason: string,
  ): Promise<boolean>;
  /** Stores the next version of an entry as proposed. */
  propose(input: NewVersion): Promise<EntryVersion>;
  version(kind: EntryKind, code: string, version: number): Promise<EntryVersion | null>;
  /** Every version of an entry, newest first, and its releases, newest first. */
  history(kind: EntryKind, code: string): Promise<{ versions: EntryVersion[]; releases: Release[] }>;
  /** Versions waiting for review or publication, oldest first. */
  pending(kind?: EntryKind): Promise<EntryVersion[]>;
  /** Moves a version from `from` to `to`; null when it was not in `from` (someone else moved it). */
  review(
    key: { kind: EntryKind; code: string; version: number },
    from: VersionStatus,
    to: VersionStatus,
    actor: string,
    reason: string,
  ): Promise<EntryVersion | null>;
  /**
   * Makes a version live, when the catalogue is still at generation `expected` (null: whatever it
   * is): the check that allowed it was made against that catalogue. False when it moved on.
   */
  release(input: ReleaseInput, expected: number | null): Promise<boolean>;
}

const LOCK = "onecert-catalogue";

const VERSION_COLUMNS = `v.kind, v.code, v.version, v.department, v.source, v.file, v.status,
  v.proposed_by AS "proposedBy", v.proposed_at AS "proposedAt", v.reason,
  v.reviewed_by AS "reviewedBy", v.reviewed_at AS "reviewedAt", v.review_reason AS "reviewReason",
  COALESCE((SELECT r.version FROM catalogue.releases r WHERE r.kind = v.kind AND r.code = v.code
    ORDER BY r.id DESC LIMIT 1) = v.version, false) AS live`;

const RELEASE_COLUMNS = `id::int AS id, kind, code, version, action, actor, reason, at`;

async function insertRelease(tx: Queryable, input: ReleaseInput): Promise<void> {
  await tx.query(
    `INSERT INTO catalogue.releases (kind, code, version, action, actor, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, now())`,
    [input.kind, input.code, input.version, input.action, input.actor, input.reason],
  );
  await tx.query(
    `UPDATE catalogue.versions SET status = 'published' WHERE kind = $1 AND code = $2 AND version = $3`,
    [input.kind, input.code, input.version],
  );
}

export function createCatalogueStore(db: Db): CatalogueStore {
  const locked = <T>(fn: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [LOCK]);
      return fn(tx);
    });
  const generationOf = async (q: Queryable) =>
    (
      await q.query<{ id: number }>(
        `${BACKGROUND_SQL}SELECT COALESCE(max(id), 0)::int AS id FROM catalogue.releases`,
      )
    )[0].id;

  const store: CatalogueStore = {
    generation: () => generationOf(db),

    async live() {
      const rows = await db.query<LiveEntry & { generation: number }>(
        `SELECT DISTINCT ON (r.kind, r.code) r.kind, r.code, r.version, v.department, v.source, v.file,
           (SELECT max(id)::int FROM catalogue.releases) AS generation
         FROM catalogue.releases r
         JOIN catalogue.versions v USING (kind, code, version)
         ORDER BY r.kind, r.code, r.id DESC`,
      );
      return {
        generation: rows[0]?.generation ?? 0,
        entries: rows.map(({ generation: _g, ...entry }) => entry),
      };
    },

    seed: (entries, actor, reason) =>
      locked(async (tx) => {
        // Until the first publish, rollback or import, the files are the catalogue: a start with
        // changed files replaces the seed. After it, the database is, and the files are left alone.
        const held = await tx.query<{
          action: string;
          kind: string;
          code: string;
          source: string;
          file: string | null;
        }>(
          `SELECT r.action, v.kind, v.code, v.source, v.file
           FROM catalogue.releases r JOIN catalogue.versions v USING (kind, code, version)`,
        );
        if (held.some((row) => row.action !== "seed")) return false;
        const key = (e: { kind: string; code: string; source: string; file?: string | null }) =>
          JSON.stringify([e.kind, e.code, e.source, e.file ?? null]);
        const seeded = new Set(held.map(key));
        if (held.length === entries.length && entries.every((entry) => seeded.has(key(entry)))) return false;
        await tx.query("DELETE FROM catalogue.releases");
        await tx.query("DELETE FROM catalogue.versions");
        for (const entry of entries) {
          await tx.query(
            `INSERT INTO catalogue.versions
               (kind, code, version, department, source, file, status, proposed_by, proposed_at, reason)
             VALUES ($1, $2, 1, $3, $4, $5, 'published', $6, now(), $7)`,
            [entry.kind, entry.code, entry.department, entry.source, entry.file ?? null, actor, reason],
          );
          await insertRelease(tx, { ...entry, version: 1, action: "seed", actor, reason });
        }
        return true;
      }),

    async propose(input) {
      const key = await locked(async (tx) => {
        const [{ next }] = await tx.query<{ next: number }>(
          `SELECT COALESCE(max(version), 0) + 1 AS next FROM catalogue.versions WHERE kind = $1 AND code = $2`,
          [input.kind, input.code],
        );
        await tx.query(
          `INSERT INTO catalogue.versions
             (kind, code, version, department, source, status, proposed_by, proposed_at, reason)
           VALUES ($1, $2, $3, $4, $5, 'proposed', $6, now(), $7)`,
          [input.kind, input.code, next, input.department, input.source, input.actor, input.reason],
        );
        return next;
      });
      return (await store.version(input.kind, input.code, key))!;
    },

    async version(kind, code, version) {
      const rows = await db.query<EntryVersion>(
        `SELECT ${VERSION_COLUMNS} FROM catalogue.versions v WHERE v.kind = $1 AND v.code = $2 AND v.version = $3`,
        [kind, code, version],
      );
      return rows[0] ?? null;
    },

    async history(kind, code) {
      const versions = await db.query<EntryVersion>(
        `SELECT ${VERSION_COLUMNS} FROM catalogue.versions v WHERE v.kind = $1 AND v.code = $2
         ORDER BY v.version DESC`,
        [kind, code],
      );
      const releases = await db.query<Release>(
        `SELECT ${RELEASE_COLUMNS} FROM catalogue.releases WHERE kind = $1 AND code = $2 ORDER BY id DESC`,
        [kind, code],
      );
      return { versions, releases };
    },

    pending: (kind) =>
      db.query<EntryVersion>(
        `SELECT ${VERSION_COLUMNS} FROM catalogue.versions v
         WHERE v.status IN ('proposed', 'approved') AND ($1::text IS NULL OR v.kind = $1)
         ORDER BY v.proposed_at, v.kind, v.code, v.version`,
        [kind ?? null],
      ),

    async review(key, from, to, actor, reason) {
      const rows = await db.query<{ version: number }>(
        `UPDATE catalogue.versions SET status = $4, reviewed_by = $6, reviewed_at = now(), review_reason = $7
         WHERE kind = $1 AND code = $2 AND version = $3 AND status = $5 RETURNING version`,
        [key.kind, key.code, key.version, to, from, actor, reason],
      );
      return rows.length === 0 ? null : store.version(key.kind, key.code, key.version);
    },

    release: (input, expected) =>
      locked(async (tx) => {
        if (expected !== null && (await generationOf(tx)) !== expected) return false;
        await insertRelease(tx, input);
        return true;
      }),
  };
  return store;
}
