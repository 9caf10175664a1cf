import { Alert, Button, Card, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { adminApi, ApiError } from "../../lib/api";
import { localTime, toCsv } from "../../lib/csv";
import { Anomalies } from "./Anomalies";
import { ChainStatus } from "./ChainStatus";
import { recordColumns } from "./columns";
import { RecordDrawer } from "./RecordDrawer";
import { Report } from "./Report";
import type { AuditRecord, Filter, SearchPage } from "./types";
import { TAG } from "../../lib/colours";

/** The most records one CSV export collects, in pages of 500; the server's NDJSON export has no cap. */
const EXPORT_CAP = 10_000;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `to` as the end of that local day, `from` as its start: what an auditor means by a date. */
const range = (filter: Filter): Filter => ({
  ...filter,
  from: filter.from ? new Date(`${filter.from}T00:00:00`).toISOString() : undefined,
  to: filter.to ? new Date(`${filter.to}T23:59:59.999`).toISOString() : undefined,
});

function Records() {
  const t = useT();
  const [filter, setFilter] = useState<Filter>({});
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<AuditRecord | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fetchPage = (given: Filter, after: string | null, limit = 50) =>
    adminApi.get<SearchPage>("/audit/records", { ...range(given), limit, cursor: after });
  const search = async (given: Filter, more: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const page = await fetchPage(given, more ? cursor : null);
      setRecords((previous) => (more && previous ? [...previous, ...page.records] : page.records));
      setCursor(page.nextCursor);
      setFilter(given);
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    } finally {
      setBusy(false);
    }
  };
  const exportCsv = async () => {
    const all: AuditRecord[] = [];
    let after: string | null = null;
    do {
      const page: SearchPage = await fetchPage(filter, after, 500);
      all.push(...page.records);
      after = page.nextCursor;
    } while (after && all.length < EXPORT_CAP);
    download(`onecert-audit-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(recordColumns(t), all));
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Form<Filter> layout="inline" className="no-print" onFinish={(values) => void search(values, false)}>
        {(["subject", "client", "operator", "matter"] as const).map((name) => (
          <Form.Item
            key={name}
            name={name}
            label={t(`audit.${name === "subject" ? "subjects" : name}`)}
            htmlFor={`filter-${name}`}
          >
            <Input id={`filter-${name}`} allowClear style={{ width: 190 }} />
          </Form.Item>
        ))}
        <Form.Item name="outcome" label={t("audit.outcome")} htmlFor="filter-outcome">
          <Select
            id="filter-outcome"
            allowClear
            style={{ width: 120 }}
            options={["ok", "denied", "error"].map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item name="from" label={t("audit.from")} htmlFor="filter-from">
          <Input id="filter-from" type="date" />
        </Form.Item>
        <Form.Item name="to" label={t("audit.to")} htmlFor="filter-to">
          <Input id="filter-to" type="date" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("audit.search")}
        </Button>
      </Form>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {records && (
        <>
          <Space className="no-print">
            <Button onClick={() => void exportCsv()}>{t("audit.exportCsv")}</Button>
            <Button onClick={() => window.print()}>{t("audit.print")}</Button>
          </Space>
          <Table<AuditRecord>
            className="no-print"
            rowKey="seq"
            size="small"
            dataSource={records}
            pagination={false}
            onRow={(record) => ({ onClick: () => setOpen(record) })}
            columns={[
              {
                title: t("audit.seq"),
                dataIndex: "seq",
                render: (seq: number, record) => (
                  <a
                    href={`#record-${seq}`}
                    onClick={(event) => {
                      event.preventDefault();
                      setOpen(record);
                    }}
                  >
                    {seq}
                  </a>
                ),
              },
              { title: t("audit.time"), render: (_, r) => localTime(r.at) },
              { title: t("audit.client"), render: (_, r) => r.clientName ?? "—" },
              { title: t("audit.operator"), render: (_, r) => r.operatorId ?? "—" },
              { title: t("audit.matter"), render: (_, r) => r.matterCode ?? "—" },
              { title: t("audit.request"), render: (_, r) => `${r.method} ${r.path}` },
              {
                title: t("audit.outcome"),
                render: (_, r) => (
                  <Tag color={r.outcome === "ok" ? TAG.green : r.outcome === "denied" ? TAG.orange : TAG.red}>
                    {r.outcome}
                  </Tag>
                ),
              },
            ]}
          />
          {cursor && (
            <Button className="no-print" onClick={() => void search(filter, true)} loading={busy}>
              {t("audit.more")}
            </Button>
          )}
          <Report filter={filter} records={records} />
        </>
      )}
      {open && <RecordDrawer record={open} onClose={() => setOpen(null)} />}
    </Space>
  );
}

/** 审计: search the records, anomalies, and whether the log checks out. */
export default function Search() {
  const t = useT();
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title no-print">
        {t("nav.audit")}
      </Typography.Title>
      <Card className="print-plain">
        <Tabs
          items={[
            { key: "records", label: t("audit.records"), children: <Records /> },
            { key: "anomalies", label: t("audit.anomalies"), children: <Anomalies /> },
            { key: "chain", label: t("audit.chain"), children: <ChainStatus /> },
          ]}
        />
      </Card>
    </Space>
  );
}
