import type { Migration } from "@onecert/subgraph-kit";

/** Schema of the department registry in the gateway database. */
export const REGISTRY_SCHEMA = "registry";

/** PostgreSQL channel a published version is announced on (NOTIFY, sent on commit). */
export const REGISTRY_PG_CHANNEL = "onecert_registry";

/**
 * SDL versions per subgraph, and the supergraph versions: each holds the complete set of
 * subgraphs (as JSON members) so that a rollback restores URLs and owners along with schemas.
 */
export const registryMigrations: Migration[] = [
  {
    version: 1,
    description: "subgraph SDL versions and supergraph versions",
    sql: `
      CREATE TABLE registry.sdls (
        id bigserial PRIMARY KEY,
        subgraph text NOT NULL,
        version integer NOT NULL,
        sdl text NOT NULL,
        hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        UNIQUE (subgraph, version)
      );
      CREATE TABLE registry.versions (
        version integer PRIMARY KEY,
        supergraph_sdl text NOT NULL,
        api_sdl text NOT NULL,
        members jsonb NOT NULL,
        action text NOT NULL CHECK (action IN ('bootstrap', 'sync', 'register', 'update', 'remove', 'rollback')),
        subgraph text,
        actor jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        reason text,
        override boolean NOT NULL DEFAULT false,
        breaking jsonb NOT NULL DEFAULT '[]',
        rollback_of integer REFERENCES registry.versions (version)
      );
      CREATE INDEX versions_subgraph_idx ON registry.versions (subgraph)
    `,
  },
];
