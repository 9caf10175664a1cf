/** The department registry's answers (gateway/server/src/admin/registry-models.ts). */
export interface Health {
  status: "up" | "down";
  latencyMs: number;
  checkedAt: string;
  lastError: string | null;
}

export interface Subgraph {
  name: string;
  department: string;
  url: string;
  contact: string | null;
  updateCycle: string | null;
  sdlVersion: number;
  status: "active" | "removed";
  health: Health | null;
}

export interface SubgraphDetails extends Subgraph {
  sdl: string;
}

export interface BreakingField {
  field: string;
  changes: { field: string; kind: string; description: string }[];
  clients: { clientId: string; name: string | null; requests: number; lastUsed: string }[];
}

export interface CheckReport {
  baseVersion: number;
  ok: boolean;
  composes: boolean;
  compositionErrors: string[];
  ownershipConflicts: string[];
  matterConflicts: string[];
  catalogueConflicts: string[];
  changes: { field: string; kind: string; description: string }[];
  breaking: BreakingField[];
  usageWindowDays: number;
}

export interface VersionSummary {
  version: number;
  action: string;
  subgraph: string | null;
  actor: { id: string; name: string };
  at: string;
  reason: string | null;
  override: boolean;
  breaking: BreakingField[];
  rollbackOf: number | null;
}

export interface PublishResult {
  published: boolean;
  version: VersionSummary;
  report: CheckReport | null;
}
