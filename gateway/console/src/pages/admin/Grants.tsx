import { Alert, Button, Input, Segmented, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { describe, useList } from "./useList";

interface Grant {
  id: string;
  clientName: string;
  clientDepartment: string;
  fields: string[];
  matters: string[];
  clearValues: boolean;
  validUntil: string;
  status: "REQUESTED" | "APPROVED" | "REJECTED" | "REVOKED";
  reason: string;
  requestedAt: string;
}

const STATUSES = ["REQUESTED", "APPROVED", "REJECTED", "REVOKED"] as const;

/** The grant approval queue: requested grants first; approve or reject with a note, revoke later. */
export function Grants() {
  const t = useT();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("REQUESTED");
  const [note, setNote] = useState("");
  const { rows, failure, setFailure, reload } = useList<Grant>("/grants", { status });
  const decide = async (id: string, action: "approve" | "reject" | "revoke") => {
    try {
      await adminApi.post(`/grants/${id}/${action}`, note ? { note } : {});
      reload();
    } catch (error) {
      setFailure(describe(error));
    }
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Segmented<(typeof STATUSES)[number]>
          aria-label={t("admin.grantStatus")}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((value) => ({ value, label: t(`grant.${value}`) }))}
        />
        <Input
          aria-label={t("admin.note")}
          placeholder={t("admin.note")}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          style={{ width: 320 }}
        />
      </Space>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      <Table<Grant>
        rowKey="id"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        columns={[
          { title: t("admin.client"), render: (_, row) => `${row.clientName} (${row.clientDepartment})` },
          { title: t("audit.matter"), render: (_, row) => row.matters.join(", ") },
          {
            title: t("audit.fields"),
            render: (_, row) => row.fields.map((field) => <Tag key={field}>{field}</Tag>),
          },
          {
            title: t("admin.clear"),
            render: (_, row) => (row.clearValues ? t("common.yes") : t("common.no")),
          },
          { title: t("admin.validUntil"), render: (_, row) => localTime(row.validUntil) },
          { title: t("dept.reason"), dataIndex: "reason" },
          { title: t("admin.requestedAt"), render: (_, row) => localTime(row.requestedAt) },
          {
            title: t("clerk.actions"),
            render: (_, row) => (
              <Space>
                {row.status === "REQUESTED" && (
                  <>
                    <Button size="small" type="primary" onClick={() => void decide(row.id, "approve")}>
                      {t("admin.approve")}
                    </Button>
                    <Button size="small" onClick={() => void decide(row.id, "reject")}>
                      {t("admin.reject")}
                    </Button>
                  </>
                )}
                {row.status === "APPROVED" && (
                  <Button size="small" danger onClick={() => void decide(row.id, "revoke")}>
                    {t("admin.revoke")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
