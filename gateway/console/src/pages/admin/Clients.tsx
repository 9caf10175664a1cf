import { Alert, Button, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { describe, useList } from "./useList";
import { TAG } from "../../lib/colours";

interface Client {
  id: string;
  name: string;
  role: string;
  department: string;
  activeKeys: number;
  createdAt: string;
  revokedAt: string | null;
}

const ROLES = ["window", "department", "auditor", "admin"];

/** Clients (calling systems) with their keys: create, rotate a key, revoke. A new key is shown once. */
export function Clients() {
  const t = useT();
  const { rows, failure, setFailure, reload } = useList<Client>("/clients");
  const [secret, setSecret] = useState<{ name: string; apiKey: string } | null>(null);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      reload();
    } catch (error) {
      setFailure(describe(error));
    }
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Form
        layout="inline"
        onFinish={(values: { name: string; role: string; department: string }) =>
          void act(async () => {
            const created = await adminApi.post<{ apiKey: string; client: Client }>("/clients", values);
            setSecret({ name: created.client.name, apiKey: created.apiKey });
          })
        }
      >
        <Form.Item
          name="name"
          label={t("admin.clientName")}
          htmlFor="client-name"
          rules={[{ required: true }]}
        >
          <Input id="client-name" />
        </Form.Item>
        <Form.Item name="role" label={t("admin.role")} htmlFor="client-role" rules={[{ required: true }]}>
          <Select
            id="client-role"
            style={{ width: 140 }}
            options={ROLES.map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item
          name="department"
          label={t("dept.department")}
          htmlFor="client-department"
          rules={[{ required: true }]}
        >
          <Input id="client-department" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("admin.create")}
        </Button>
      </Form>
      {secret && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setSecret(null)}
          message={t("admin.keyOnce", { name: secret.name })}
          description={
            <Typography.Text copyable code>
              {secret.apiKey}
            </Typography.Text>
          }
        />
      )}
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      <Table<Client>
        rowKey="id"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        columns={[
          { title: "ID", dataIndex: "id" },
          { title: t("admin.clientName"), dataIndex: "name" },
          { title: t("admin.role"), dataIndex: "role" },
          { title: t("dept.department"), dataIndex: "department" },
          { title: t("admin.activeKeys"), dataIndex: "activeKeys" },
          { title: t("admin.createdAt"), render: (_, row) => localTime(row.createdAt) },
          {
            title: t("admin.state"),
            render: (_, row) =>
              row.revokedAt ? (
                <Tag color={TAG.red}>{t("admin.revoked")}</Tag>
              ) : (
                <Tag color={TAG.green}>{t("admin.active")}</Tag>
              ),
          },
          {
            title: t("clerk.actions"),
            render: (_, row) =>
              row.revokedAt ? null : (
                <Space>
                  <Button
                    size="small"
                    onClick={() =>
                      void act(async () =>
                        setSecret({
                          name: row.name,
                          ...(await adminApi.post<{ apiKey: string }>(`/clients/${row.id}/keys`, {})),
                        }),
                      )
                    }
                  >
                    {t("admin.rotateKey")}
                  </Button>
                  <Popconfirm
                    title={t("admin.confirmRevoke", { name: row.name })}
                    onConfirm={() => void act(() => adminApi.post(`/clients/${row.id}/revoke`, {}))}
                    okText={t("common.yes")}
                    cancelText={t("common.no")}
                  >
                    <Button size="small" danger>
                      {t("admin.revoke")}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
    </Space>
  );
}
