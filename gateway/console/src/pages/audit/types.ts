/** The auditor API's answers (gateway/server/src/admin/audit-models.ts). */
export interface AuditRecord {
  seq: number;
  id: string;
  at: string;
  requestId: string;
  kind: string;
  method: string;
  path: string;
  clientId: string | null;
  clientName: string | null;
  role: string | null;
  department: string | null;
  operatorId: string | null;
  matterCode: string | null;
  caseNumber: string | null;
  subjects: string[];
  fields: string[];
  subgraphs: string[];
  outcome: string;
  status: number;
  errorCode: string | null;
  hash: string;
  prevHash: string;
  [more: string]: unknown;
}

export interface SearchPage {
  records: AuditRecord[];
  nextCursor: string | null;
}

export interface Filter {
  subject?: string;
  client?: string;
  operator?: string;
  matter?: string;
  outcome?: string;
  kind?: string;
  from?: string;
  to?: string;
}
