import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useLanguage } from "../../i18n";
import { ApiError, graphql } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { storedMatter, storeMatter, useMatters } from "./matters";

const FIELDS = `id caseNumber certificate { id nameZh nameEn } role subject status statement reason reasonCode operator recordedAt checks lastCheckedAt resolution`;
const PENDING = `query Pending($caseNumber: String) { pendingCommitments(caseNumber: $caseNumber) { ${FIELDS} } }`;
const RECHECK = `mutation Recheck($caseNumber: String) { recheckCommitments(caseNumber: $caseNumber) { ${FIELDS} } }`;

interface Commitment {
  id: string;
  caseNumber: string;
  certificate: { id: string; nameZh: string; nameEn: string };
  subject: string;
  status: "PENDING" | "CONFIRMED" | "CONTRADICTED";
  statement: string;
  reason: string;
  operator: string;
  recordedAt: string;
  checks: number;
  lastCheckedAt: string | null;
}

/** 告知承诺: the commitments of a matter (and case) still waiting for the data to decide them. */
export default function Commitments() {
  const { language, t } = useLanguage();
  const { matters } = useMatters();
  const [matter, setMatter] = useState(storedMatter);
  const [caseNumber, setCaseNumber] = useState("");
  const [rows, setRows] = useState<Commitment[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = async (recheck: boolean) => {
    setFailure(null);
    try {
      const purpose = { matter, caseNumber: caseNumber || undefined };
      const variables = { caseNumber: caseNumber || null };
      if (recheck) await graphql(RECHECK, variables, purpose);
      const data = await graphql<{ pendingCommitments: Commitment[] }>(PENDING, variables, purpose);
      setRows(data.pendingCommitments);
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title">
        {t("nav.commitments")}
      </Typography.Title>
      <Card>
        <Space wrap>
          <Select
            aria-label={t("clerk.matter")}
            style={{ minWidth: 300 }}
            value={matter}
            onChange={(next: string) => {
              setMatter(next);
              storeMatter(next);
            }}
            options={(matters ?? []).map((entry) => ({
              value: entry.code,
              label: language === "zh" ? entry.nameZh : entry.nameEn,
            }))}
          />
          <Input
            aria-label={t("clerk.caseNumber")}
            placeholder={t("clerk.caseNumber")}
            value={caseNumber}
            onChange={(event) => setCaseNumber(event.target.value.trim())}
          />
          <Button type="primary" onClick={() => void load(false)}>
            {t("commit.list")}
          </Button>
          <Button onClick={() => void load(true)}>{t("commit.recheck")}</Button>
        </Space>
      </Card>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {rows && (
        <Table<Commitment>
          rowKey="id"
          dataSource={rows}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t("clerk.caseNumber"), dataIndex: "caseNumber" },
            {
              title: t("clerk.certificate"),
              render: (_, row) => (language === "zh" ? row.certificate.nameZh : row.certificate.nameEn),
            },
            { title: t("clerk.subject"), dataIndex: "subject" },
            { title: t("commit.status"), render: (_, row) => <Tag>{t(`commit.${row.status}`)}</Tag> },
            { title: t("commit.statement"), dataIndex: "statement" },
            { title: t("clerk.reason"), dataIndex: "reason" },
            { title: t("commit.operator"), dataIndex: "operator" },
            { title: t("commit.recordedAt"), render: (_, row) => localTime(row.recordedAt) },
            { title: t("commit.checks"), dataIndex: "checks" },
          ]}
        />
      )}
    </Space>
  );
}
