import { Alert, Button, Form, Input, Select, Space, Table, Tag } from "antd";
import { useT, type MessageKey } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { describe, useList } from "./useList";
import { TAG } from "../../lib/colours";

interface User {
  username: string;
  displayName: string;
  role: string;
  department: string;
  clientId: string;
  status: "active" | "disabled";
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

const ROLES = ["clerk", "officer", "auditor", "supervisor", "admin"];

/** Console users: create (with the client whose rights they use), disable, enable. */
export function Users() {
  const t = useT();
  const { rows, failure, setFailure, reload } = useList<User>("/users");
  const [form] = Form.useForm();
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
        form={form}
        layout="inline"
        onFinish={(values: Record<string, string>) =>
          void act(async () => {
            await adminApi.post("/users", values);
            form.resetFields();
          })
        }
      >
        {(["username", "displayName", "department", "clientId"] as const).map((name) => (
          <Form.Item
            key={name}
            name={name}
            label={t(`user.${name}`)}
            htmlFor={`user-${name}`}
            rules={[{ required: true }]}
          >
            <Input id={`user-${name}`} style={{ width: 160 }} />
          </Form.Item>
        ))}
        <Form.Item name="role" label={t("admin.role")} htmlFor="user-role" rules={[{ required: true }]}>
          <Select
            id="user-role"
            style={{ width: 130 }}
            options={ROLES.map((value) => ({ value, label: t(`role.${value}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("login.password")}
          htmlFor="user-password"
          rules={[{ required: true, min: 12 }]}
        >
          <Input.Password id="user-password" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("admin.create")}
        </Button>
      </Form>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      <Table<User>
        rowKey="username"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        columns={[
          { title: t("user.username"), dataIndex: "username" },
          { title: t("user.displayName"), dataIndex: "displayName" },
          { title: t("admin.role"), render: (_, row) => t(`role.${row.role}` as MessageKey) },
          { title: t("dept.department"), dataIndex: "department" },
          { title: t("user.clientId"), dataIndex: "clientId" },
          {
            title: t("admin.state"),
            render: (_, row) => (
              <Tag color={row.status === "active" ? TAG.green : TAG.red}>{t(`user.${row.status}`)}</Tag>
            ),
          },
          {
            title: t("user.lastLogin"),
            render: (_, row) => (row.lastLoginAt ? localTime(row.lastLoginAt) : "—"),
          },
          {
            title: t("clerk.actions"),
            render: (_, row) => (
              <Button
                size="small"
                onClick={() =>
                  void act(() =>
                    adminApi.post(
                      `/users/${row.username}/${row.status === "active" ? "disable" : "enable"}`,
                      {},
                    ),
                  )
                }
              >
                {row.status === "active" ? t("user.disable") : t("user.enable")}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
