import { Refusal } from "@onecert/subgraph-kit";
import { BACKGROUND_SQL, type Db, type Queryable } from "@onecert/subgraph-kit";
import { createHash } from "node:crypto";
import { REGISTRY_PG_CHANNEL } from "./migrations";
import {
  type Actor,
  type BreakingField,
  type Member,
  type SdlVersion,
  type VersionAction,
  type VersionRecord,
  type VersionSummary,
} from "./types";

/** A member of a version about to be published: an existing SDL (sdlId) or a new text. */
export type ProposedMember = Omit<Member, "sdlId" | "sdlVersion"> & { sdl: string; sdlId?: number };

export interface NewVersion {
  /** The version the change was checked against; publishing fails with CONFLICT when it moved. */
  baseVersion: number;
  members: ProposedMember[];
  supergraphSdl: string;
  apiSdl: string;
  action: VersionAction;
  subgraph: string | null;
  actor: Actor;
  reason: string | null;
  override: boolean;
  breaking: BreakingField[];
  rollbackOf: number | null;
}

/** The registry's tables: supergraph versions and the SDL versions they are made of. */
export interface RegistryStore {
  /** Number of the newest version; 0 while the registry is empty. */
  latestVersion(): Promise<number>;
  version(version: number): Promise<VersionRecord | null>;
  /** The newest version; null while the registry is empty. */
  current(): Promise<VersionRecord | null>;
  /** Versions newest first, optionally only those about one subgraph. Default limit 100. */
  history(options?: { subgraph?: string; limit?: number }): Promise<VersionSummary[]>;
  /** The SDL texts of these SDL ids. */
  sdls(ids: readonly number[]): Promise<Map<number, SdlVersion>>;
  /** Every SDL version of one subgraph, oldest first. */
  sdlVersions(subgraph: string): Promise<SdlVersion[]>;
  /** Names of every subgraph any version ever held. */
  knownSubgraphs(): Promise<Set<string>>;
  /** Stores a version atomically (new SDLs included) and announces it with NOTIFY on commit. */
  publish(input: NewVersion): Promise<VersionRecord>;
}

/** A version without its SDL texts. */
export const toSummary = ({ supergraphSdl: _s, apiSdl: _a, ...summary }: VersionRecord): VersionSummary =>
  summary;

/** SHA-256 of an SDL text, hex. */
export const sdlHash = (sdl: string): string => createHash("sha256").update(sdl).digest("hex");

interface VersionRow {
  version: number;
  supergraph_sdl?: string;
  api_sdl?: string;
  members: Member[];
  action: VersionAction;
  subgraph: string | null;
  actor: Actor;
  at: Date;
  reason: string | null;
  override: boolean;
  breaking: BreakingField[];
  rollback_of: number | null;
}

interface SdlRow {
  id: number;
  subgraph: string;
  version: number;
  sdl: string;
  hash: string;
  created_at: Date;
  created_by: string;
}

const SUMMARY = "version, members, action, subgraph, actor, at, reason, override, breaking, rollback_of";

const summary = (row: VersionRow): VersionSummary => ({
  version: row.version,
  action: row.action,
  subgraph: row.subgraph,
  actor: row.actor,
  at: row.at.toISOString(),
  reason: row.reason,
  override: row.override,
  breaking: row.breaking,
  rollbackOf: row.rollback_of,
  members: row.members,
});

const record = (row: VersionRow): VersionRecord => ({
  ...summary(row),
  supergraphSdl: row.supergraph_sdl ?? "",
  apiSdl: row.api_sdl ?? "",
});

const sdlVersion = (row: SdlRow): SdlVersion => ({
  id: row.id,
  subgraph: row.subgraph,
  version: row.version,
  sdl: row.sdl,
  hash: row.hash,
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
});

/** The registry store on the gateway database (schema `registry`, see registryMigrations). */
export function createRegistryStore(db: Db): RegistryStore {
  const one = async (where: string, params: unknown[]) => {
    const rows = await db.query<VersionRow>(`SELECT * FROM registry.versions ${where}`, params);
    return rows[0] ? record(rows[0]) : null;
  };
  return {
    async latestVersion() {
      // Polled every few seconds by every replica: kept out of the statement counts of requests.
      const rows = await db.query<{ latest: number | null }>(
        `${BACKGROUND_SQL}SELECT max(version) AS latest FROM registry.versions`,
      );
      return rows[0]?.latest ?? 0;
    },
    version: (version) => one("WHERE version = $1", [version]),
    current: () => one("ORDER BY version DESC LIMIT 1", []),
    async history(options = {}) {
      const rows = await db.query<VersionRow>(
        `SELECT ${SUMMARY} FROM registry.versions
          WHERE $1::text IS NULL OR subgraph = $1 OR members @> jsonb_build_array(jsonb_build_object('name', $1::text))
          ORDER BY version DESC LIMIT $2`,
        [options.subgraph ?? null, options.limit ?? 100],
      );
      return rows.map(summary);
    },
    async sdls(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<SdlRow>("SELECT * FROM registry.sdls WHERE id = ANY($1)", [[...ids]]);
      return new Map(rows.map((row) => [row.id, sdlVersion(row)]));
    },
    async sdlVersions(subgraph) {
      const rows = await db.query<SdlRow>(
        "SELECT * FROM registry.sdls WHERE subgraph = $1 ORDER BY version",
        [subgraph],
      );
      return rows.map(sdlVersion);
    },
    async knownSubgraphs() {
      const rows = await db.query<{ subgraph: string }>("SELECT DISTINCT subgraph FROM registry.sdls");
      return new Set(rows.map((row) => row.subgraph));
    },
    publish: (input) => db.transaction((tx) => insertVersion(tx, input)),
  };
}

async function insertVersion(tx: Queryable, input: NewVersion): Promise<VersionRecord> {
  // One publisher at a time across replicas; the base check makes a raced change re-check.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('onecert-registry-publish'))");
  const [{ latest }] = await tx.query<{ latest: number | null }>(
    "SELECT max(version) AS latest FROM registry.versions",
  );
  if ((latest ?? 0) !== input.baseVersion) {
    throw new Refusal(
      "CONFLICT",
      `version ${latest} was published while this change was checked against version ${input.baseVersion}; check again`,
    );
  }
  const members: Member[] = [];
  for (const proposed of input.members) {
    const { sdl, sdlId, ...rest } = proposed;
    if (sdlId !== undefined) {
      const [row] = await tx.query<{ version: number }>("SELECT version FROM registry.sdls WHERE id = $1", [
        sdlId,
      ]);
      if (!row) throw new Error(`SDL ${sdlId} of ${proposed.name} is not stored`);
      members.push({ ...rest, sdlId, sdlVersion: row.version });
      continue;
    }
    const [row] = await tx.query<{ id: number; version: number }>(
      `INSERT INTO registry.sdls (subgraph, version, sdl, hash, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM registry.sdls WHERE subgraph = $1
       RETURNING id, version`,
      [proposed.name, sdl, sdlHash(sdl), input.actor.id],
    );
    members.push({ ...rest, sdlId: row.id, sdlVersion: row.version });
  }
  const version = (latest ?? 0) + 1;
  const [row] = await tx.query<VersionRow>(
    `INSERT INTO registry.versions
       (version, supergraph_sdl, api_sdl, members, action, subgraph, actor, reason, override, breaking, rollback_of)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8, $9, $10::jsonb, $11) RETURNING *`,
    [
      version,
      input.supergraphSdl,
      input.apiSdl,
      JSON.stringify(members),
      input.action,
      input.subgraph,
      JSON.stringify(input.actor),
      input.reason,
      input.override,
      JSON.stringify(input.breaking),
      input.rollbackOf,
    ],
  );
  await tx.query("SELECT pg_notify($1, $2)", [REGISTRY_PG_CHANNEL, String(version)]);
  return record(row);
}

/** The number of the version the registry serves now; 0 while it holds none or has no tables yet. */
export async function registryVersion(db: Db): Promise<number> {
  const [exists] = await db.query<{ table: string | null }>(
    `${BACKGROUND_SQL}SELECT to_regclass('registry.versions')::text AS table`,
  );
  return exists?.table ? createRegistryStore(db).latestVersion() : 0;
}

/**
 * The supergraph the registry serves now, read from its tables (the certificates service checks
 * its catalogue against it); null while the registry holds no version.
 */
export async function registrySupergraph(db: Db): Promise<{ version: number; sdl: string } | null> {
  const version = await registryVersion(db);
  const record = version === 0 ? null : await createRegistryStore(db).version(version);
  return record ? { version, sdl: record.supergraphSdl } : null;
}
