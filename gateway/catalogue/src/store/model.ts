/** What a catalogue entry is: a matter (事项) or a certificate type. */
export type EntryKind = "matter" | "certificate";
export const ENTRY_KINDS: readonly EntryKind[] = ["matter", "certificate"];

export type VersionStatus = "proposed" | "approved" | "rejected" | "published";

/** One stored version of a matter or certificate type. */
export interface EntryVersion {
  kind: EntryKind;
  code: string;
  version: number;
  department: string;
  /** The YAML text, exactly as proposed (or as its seed file read). */
  source: string;
  /** The file a seeded version was read from; null for a proposed one. */
  file: string | null;
  status: VersionStatus;
  proposedBy: string;
  proposedAt: Date;
  reason: string;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewReason: string | null;
  /** Whether this is the version the live catalogue serves. */
  live: boolean;
}

export type ReleaseAction = "seed" | "publish" | "rollback" | "import";

/** A release: the moment a version became the live one. */
export interface Release {
  id: number;
  kind: EntryKind;
  code: string;
  version: number;
  action: ReleaseAction;
  actor: string;
  reason: string;
  at: Date;
}

/** A live entry: the version its latest release names. */
export interface LiveEntry {
  kind: EntryKind;
  code: string;
  version: number;
  department: string;
  source: string;
  /** The file a seeded version was read from; null for a proposed one. */
  file: string | null;
}

/** The live catalogue as stored: its generation (the latest release id; 0 for none) and entries. */
export interface LiveSnapshot {
  generation: number;
  entries: LiveEntry[];
}
