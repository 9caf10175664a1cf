import { Alert, Card, Table } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { Chart, type ChartOption } from "../supervision/Chart";

interface UsageRow {
  day: string;
  field: string;
  clientId: string;
  clientName: string | null;
  requests: number;
}

/**
 * 字段使用: who read the subgraph's fields, per day and client over the last 30 days
 * (GET /admin/subgraphs/:name/usage), what a department looks at before changing a field.
 */
export function Usage({ name }: { name: string }) {
  const t = useT();
  const [rows, setRows] = useState<UsageRow[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    adminApi.get<{ usage: UsageRow[] }>(`/subgraphs/${encodeURIComponent(name)}/usage`).then(
      (answer) => setRows(answer.usage),
      (error: Error) => setFailure(error.message),
    );
  }, [name]);
  const view = useMemo(() => {
    if (!rows) return null;
    const clientOf = (row: UsageRow) => row.clientName ?? row.clientId;
    const days = [...new Set(rows.map((row) => row.day))].sort();
    const clients = [...new Set(rows.map(clientOf))].sort();
    const option: ChartOption = {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { top: 40, left: 50, right: 20, bottom: 30 },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: clients.map((client) => ({
        name: client,
        type: "line",
        data: days.map((day) =>
          rows
            .filter((row) => row.day === day && clientOf(row) === client)
            .reduce((sum, row) => sum + row.requests, 0),
        ),
      })),
    };
    const totals = new Map<string, { field: string; client: string; requests: number }>();
    for (const row of rows) {
      const key = `${row.field}\n${clientOf(row)}`;
      const total = totals.get(key) ?? { field: row.field, client: clientOf(row), requests: 0 };
      total.requests += row.requests;
      totals.set(key, total);
    }
    return { option, totals: [...totals.values()].sort((a, b) => b.requests - a.requests) };
  }, [rows]);
  return (
    <Card title={t("dept.fieldUsage")}>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {view && view.totals.length === 0 && <Alert type="info" showIcon message={t("dept.noUsage")} />}
      {view && view.totals.length > 0 && (
        <>
          <Chart option={view.option} label={t("dept.fieldUsage")} height={260} />
          <Table
            size="small"
            rowKey={(row) => `${row.field}:${row.client}`}
            aria-label={t("dept.fieldUsage")}
            dataSource={view.totals}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t("dept.field"), dataIndex: "field" },
              { title: t("dept.client"), dataIndex: "client" },
              { title: t("dept.requests"), dataIndex: "requests" },
            ]}
          />
        </>
      )}
    </Card>
  );
}
