import { Alert, Button, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { describe, useList } from "./useList";

interface ProofKey {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  status: string;
}

/** The signing keys: proof keys (rotation keeps old proofs valid) and the audit checkpoint key. */
export function Keys() {
  const t = useT();
  const { rows, failure, setFailure, reload } = useList<ProofKey>("/proof-keys");
  const [done, setDone] = useState<string | null>(null);
  const rotate = async (path: string, label: string) => {
    try {
      await adminApi.post(path, {});
      setDone(label);
      reload();
    } catch (error) {
      setFailure(describe(error));
    }
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Paragraph>{t("admin.keysIntro")}</Typography.Paragraph>
      <Space>
        <Button onClick={() => void rotate("/proof-keys/rotate", t("admin.proofKeyRotated"))}>
          {t("admin.rotateProofKey")}
        </Button>
        <Button onClick={() => void rotate("/audit/keys/rotate", t("admin.auditKeyRotated"))}>
          {t("admin.rotateAuditKey")}
        </Button>
      </Space>
      {done && <Alert type="success" role="status" showIcon message={done} />}
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      <Table<ProofKey>
        rowKey="kid"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        columns={[
          { title: t("sheet.keyId"), dataIndex: "kid" },
          { title: t("admin.createdAt"), render: (_, row) => localTime(row.createdAt) },
          {
            title: t("admin.retiredAt"),
            render: (_, row) => (row.retiredAt ? localTime(row.retiredAt) : "—"),
          },
          { title: t("admin.state"), dataIndex: "status" },
        ]}
      />
    </Space>
  );
}
