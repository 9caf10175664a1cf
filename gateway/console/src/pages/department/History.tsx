import { Alert, App, Button, Card, Input, Modal, Table, Tag } from "antd";
import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { adminApi, ApiError } from "../../lib/api";
import { localTime } from "../../lib/csv";
import type { PublishResult, VersionSummary } from "./types";

/** The supergraph versions that touched this subgraph; any earlier one can be served again. */
export function History({ name, onRolledBack }: { name: string; onRolledBack: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [target, setTarget] = useState<VersionSummary | null>(null);
  const [reason, setReason] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    adminApi
      .get<VersionSummary[]>("/registry/versions", { subgraph: name, limit: 50 })
      .then(setVersions, (error: Error) => setFailure(error.message));
  }, [name]);
  const rollback = async () => {
    if (!target) return;
    try {
      const result = await adminApi.post<PublishResult>("/registry/rollback", {
        version: target.version,
        reason,
      });
      setTarget(null);
      void message.success(t("dept.published", { version: result.version.version }));
      onRolledBack();
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    }
  };
  return (
    <Card title={t("dept.history")}>
      {failure && <Alert type="error" role="alert" showIcon message={failure} style={{ marginBottom: 12 }} />}
      <Table<VersionSummary>
        rowKey="version"
        size="small"
        loading={versions === null}
        dataSource={versions ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t("dept.version"), dataIndex: "version" },
          { title: t("dept.action"), render: (_, row) => <Tag>{row.action}</Tag> },
          { title: t("dept.actor"), render: (_, row) => row.actor.name },
          { title: t("dept.at"), render: (_, row) => localTime(row.at) },
          { title: t("dept.reason"), render: (_, row) => row.reason ?? "—" },
          { title: t("dept.override"), render: (_, row) => (row.override ? t("common.yes") : "") },
          {
            title: t("clerk.actions"),
            render: (_, row, index) =>
              index === 0 ? null : (
                <Button size="small" onClick={() => setTarget(row)}>
                  {t("dept.rollback")}
                </Button>
              ),
          },
        ]}
      />
      {target && (
        <Modal
          open
          title={t("dept.rollbackTo", { version: target.version })}
          onOk={() => void rollback()}
          onCancel={() => setTarget(null)}
          okButtonProps={{ disabled: reason.trim() === "" }}
          okText={t("dept.rollback")}
          cancelText={t("common.cancel")}
        >
          <Input
            aria-label={t("dept.reason")}
            placeholder={t("dept.reason")}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </Modal>
      )}
    </Card>
  );
}
