import type { Translate } from "../../i18n";
import { localTime, type CsvColumn } from "../../lib/csv";
import type { AuditRecord } from "./types";

/** The columns of the CSV export and of the printed report, headed in the chosen language. */
export const recordColumns = (t: Translate): CsvColumn<AuditRecord>[] => [
  { header: t("audit.seq"), value: (r) => r.seq },
  { header: t("audit.time"), value: (r) => localTime(r.at) },
  { header: t("audit.client"), value: (r) => r.clientName ?? r.clientId },
  { header: t("audit.department"), value: (r) => r.department },
  { header: t("audit.operator"), value: (r) => r.operatorId },
  { header: t("audit.matter"), value: (r) => r.matterCode },
  { header: t("audit.case"), value: (r) => r.caseNumber },
  { header: t("audit.subjects"), value: (r) => r.subjects },
  { header: t("audit.request"), value: (r) => `${r.method} ${r.path}` },
  { header: t("audit.fields"), value: (r) => r.fields },
  { header: t("audit.registries"), value: (r) => r.subgraphs },
  { header: t("audit.outcome"), value: (r) => r.outcome },
  { header: t("audit.status"), value: (r) => r.status },
  { header: t("audit.error"), value: (r) => r.errorCode },
  { header: t("audit.hash"), value: (r) => r.hash },
];
