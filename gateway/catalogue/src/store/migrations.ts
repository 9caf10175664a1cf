import type { Migration } from "@onecert/subgraph-kit";

/** Schema of the live catalogue; apply with `migrate(db, CATALOGUE_SCHEMA, catalogueMigrations)`. */
export const CATALOGUE_SCHEMA = "catalogue";

/**
 * Every version of every matter and certificate type, as the YAML text it was proposed in, and
 * the releases that made versions live. The live catalogue is, per entry, the version its latest
 * release names; the highest release id is the catalogue's generation, which replicas watch.
 */
export const catalogueMigrations: Migration[] = [
  {
    version: 1,
    description: "catalogue versions and releases",
    sql: `
      CREATE TABLE catalogue.versions (
        kind text NOT NULL CHECK (kind IN ('matter', 'certificate')),
        code text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        department text NOT NULL,
        source text NOT NULL,
        -- The file a seeded version was read from: problems name it, as they did the file.
        file text,
        status text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'published')),
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL,
        reason text NOT NULL,
        reviewed_by text,
        reviewed_at timestamptz,
        review_reason text,
        PRIMARY KEY (kind, code, version)
      );
      CREATE TABLE catalogue.releases (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        code text NOT NULL,
        version integer NOT NULL,
        action text NOT NULL CHECK (action IN ('seed', 'publish', 'rollback', 'import')),
        actor text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        FOREIGN KEY (kind, code, version) REFERENCES catalogue.versions (kind, code, version)
      );
      CREATE INDEX releases_entry ON catalogue.releases (kind, code, id DESC);
    `,
  },
];
