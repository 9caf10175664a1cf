import { Descriptions, Drawer, Tag } from "antd";
import { useT } from "../../i18n";
import { localTime } from "../../lib/csv";
import type { AuditRecord } from "./types";

const list = (values: string[]) =>
  values.length === 0 ? "—" : values.map((value) => <Tag key={value}>{value}</Tag>);

/** One record in full: who, why, about whom, the fields returned and its place in the chain. */
export function RecordDrawer({ record, onClose }: { record: AuditRecord; onClose: () => void }) {
  const t = useT();
  const items: [string, React.ReactNode][] = [
    [t("audit.seq"), record.seq],
    [t("audit.time"), localTime(record.at)],
    [t("audit.requestId"), record.requestId],
    [t("audit.kind"), record.kind],
    [t("audit.request"), `${record.method} ${record.path}`],
    [t("audit.client"), `${record.clientName ?? "—"} (${record.clientId ?? "—"}) ${record.role ?? ""}`],
    [t("audit.department"), record.department ?? "—"],
    [t("audit.operator"), record.operatorId ?? "—"],
    [t("audit.matter"), record.matterCode ?? "—"],
    [t("audit.case"), record.caseNumber ?? "—"],
    [t("audit.subjects"), list(record.subjects)],
    [t("audit.fields"), list(record.fields)],
    [t("audit.registries"), list(record.subgraphs)],
    [
      t("audit.outcome"),
      `${record.outcome} · ${record.status}${record.errorCode ? ` · ${record.errorCode}` : ""}`,
    ],
    [t("audit.hash"), <code key="hash">{record.hash}</code>],
    [t("audit.prevHash"), <code key="prev">{record.prevHash}</code>],
  ];
  return (
    <Drawer open width={640} title={t("audit.record", { seq: record.seq })} onClose={onClose}>
      <Descriptions
        bordered
        column={1}
        size="small"
        items={items.map(([label, children], index) => ({ key: index, label, children }))}
      />
    </Drawer>
  );
}
