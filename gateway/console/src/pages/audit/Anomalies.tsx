import { Alert, Table, Tag } from "antd";
import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { TAG } from "../../lib/colours";

interface Anomaly {
  kind: "subjects-per-hour" | "outside-working-hours" | "denial-burst";
  clientName: string | null;
  operatorId: string | null;
  from: string;
  to: string;
  count: number;
  threshold: number;
  detail: string;
}

/** Flagged activity of the last 30 days, as the gateway finds it (GET /admin/audit/anomalies). */
export function Anomalies() {
  const t = useT();
  const [rows, setRows] = useState<Anomaly[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    adminApi.get<{ anomalies: Anomaly[] }>("/audit/anomalies").then(
      (answer) => setRows(answer.anomalies),
      (error: Error) => setFailure(error.message),
    );
  }, []);
  if (failure) return <Alert type="error" role="alert" showIcon message={failure} />;
  return (
    <Table<Anomaly>
      rowKey={(row) => `${row.kind}:${row.operatorId ?? ""}:${row.from}`}
      loading={rows === null}
      dataSource={rows ?? []}
      size="small"
      locale={{ emptyText: t("audit.noAnomalies") }}
      columns={[
        {
          title: t("audit.anomalyKind"),
          render: (_, row) => <Tag color={TAG.orange}>{t(`anomaly.${row.kind}`)}</Tag>,
        },
        { title: t("audit.client"), render: (_, row) => row.clientName ?? "—" },
        { title: t("audit.operator"), render: (_, row) => row.operatorId ?? "—" },
        { title: t("audit.from"), render: (_, row) => localTime(row.from) },
        { title: t("audit.to"), render: (_, row) => localTime(row.to) },
        { title: t("audit.count"), render: (_, row) => `${row.count} / ${row.threshold}` },
        { title: t("audit.detail"), dataIndex: "detail" },
      ]}
    />
  );
}
