/** Who made a change: the authenticated client, or "system" for bootstrap and file sync. */
export interface Actor {
  id: string;
  name: string;
  /** Department of the client; null for the system. */
  department: string | null;
  /** Role of the client; null for the system. */
  role: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: "system", name: "system", department: null, role: null };

/** One subgraph as a supergraph version holds it. */
export interface Member {
  name: string;
  department: string;
  url: string;
  /** Who to call about it, e.g. "civil-affairs data desk, +86 ..."; null when not given. */
  contact: string | null;
  /** How often the department updates the data, e.g. "daily"; null when not given. */
  updateCycle: string | null;
  /** Id of the SDL version in registry.sdls. */
  sdlId: number;
  /** Version number of the SDL within this subgraph (1, 2, ...). */
  sdlVersion: number;
}

export type VersionAction = "bootstrap" | "sync" | "register" | "update" | "remove" | "rollback";

/** What a reported field change is. */
export type ChangeKind =
  | "TYPE_REMOVED"
  | "FIELD_REMOVED"
  | "FIELD_TYPE_CHANGED"
  | "ARGUMENT_REMOVED"
  | "ARGUMENT_TYPE_CHANGED"
  | "REQUIRED_ARGUMENT_ADDED"
  | "ENUM_VALUE_REMOVED"
  | "UNION_MEMBER_REMOVED";

/** A change that can break operations selecting `field` ("Type.field"). */
export interface FieldChange {
  field: string;
  kind: ChangeKind;
  description: string;
}

/** A client that selected a field within the usage window. */
export interface ClientUsage {
  clientId: string;
  /** The client's name; null when the client is unknown (deleted, or a JWT-only client). */
  name: string | null;
  requests: number;
  lastUsed: string;
}

/** A changed field that operations used within the window: what makes a change breaking. */
export interface BreakingField {
  field: string;
  changes: FieldChange[];
  clients: ClientUsage[];
}

/** A supergraph version without its SDL texts: what history lists. */
export interface VersionSummary {
  version: number;
  action: VersionAction;
  /** The subgraph the change was about; null for a rollback. */
  subgraph: string | null;
  actor: Actor;
  at: string;
  /** Why: required with an override, optional otherwise. */
  reason: string | null;
  /** Published although it breaks fields in use. */
  override: boolean;
  breaking: BreakingField[];
  /** The version a rollback restored. */
  rollbackOf: number | null;
  members: Member[];
}

export interface VersionRecord extends VersionSummary {
  supergraphSdl: string;
  /** The API schema clients see, printed; the base of the next breaking-change check. */
  apiSdl: string;
}

/** One stored SDL of a subgraph. */
export interface SdlVersion {
  id: number;
  subgraph: string;
  version: number;
  sdl: string;
  hash: string;
  createdAt: string;
  createdBy: string;
}

/** Where the breaking-change check reads field usage from. */
export interface UsageSource {
  /** Requests per field and client since `since` (this replica's unsaved counts included). */
  usage(
    fields: readonly string[],
    since: Date,
  ): Promise<{ field: string; clientId: string; requests: number; lastUsed: string }[]>;
}
