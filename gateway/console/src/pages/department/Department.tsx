import { Alert, Badge, Card, Space, Table, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { useUser } from "../../shell/session";
import { History } from "./History";
import { SchemaCheck } from "./SchemaCheck";
import { Usage } from "./Usage";
import type { Subgraph } from "./types";

/** 部门: the department's subgraphs with version and health; check, publish, history, rollback. */
export default function Department() {
  const t = useT();
  const user = useUser();
  const [subgraphs, setSubgraphs] = useState<Subgraph[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const reload = useCallback(() => setRevision((value) => value + 1), []);
  useEffect(() => {
    adminApi.get<Subgraph[]>("/subgraphs").then(
      (all) => {
        // A department sees its own subgraphs first; the registry lets it manage only those.
        const own = all.filter((subgraph) => subgraph.department === user.department);
        const shown = own.length > 0 ? own : all;
        setSubgraphs(shown);
        setSelected((current) => current ?? shown[0]?.name ?? null);
      },
      (error: Error) => setFailure(error.message),
    );
  }, [user.department, revision]);
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title">
        {t("nav.department")}
      </Typography.Title>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      <Card title={t("dept.subgraphs")}>
        <Table<Subgraph>
          rowKey="name"
          loading={subgraphs === null}
          dataSource={subgraphs ?? []}
          pagination={false}
          size="small"
          rowSelection={{
            type: "radio",
            selectedRowKeys: selected ? [selected] : [],
            onChange: (keys) => setSelected(String(keys[0])),
            getCheckboxProps: (row) => ({ "aria-label": t("dept.select", { name: row.name }) }),
          }}
          columns={[
            { title: t("dept.name"), dataIndex: "name" },
            { title: t("dept.department"), dataIndex: "department" },
            { title: t("dept.version"), dataIndex: "sdlVersion" },
            {
              title: t("dept.health"),
              render: (_, row) =>
                row.health ? (
                  <Badge
                    status={row.health.status === "up" ? "success" : "error"}
                    text={t(`dept.${row.health.status}`)}
                  />
                ) : (
                  "—"
                ),
            },
            {
              title: t("dept.latency"),
              render: (_, row) => (row.health ? `${Math.round(row.health.latencyMs)} ms` : "—"),
            },
            {
              title: t("dept.checkedAt"),
              render: (_, row) => (row.health ? localTime(row.health.checkedAt) : "—"),
            },
            { title: t("dept.contact"), render: (_, row) => row.contact ?? "—" },
            { title: t("dept.updateCycle"), render: (_, row) => row.updateCycle ?? "—" },
          ]}
        />
      </Card>
      {selected && <SchemaCheck key={selected} name={selected} onPublished={reload} />}
      {selected && <History key={`h:${selected}:${revision}`} name={selected} onRolledBack={reload} />}
      {selected && <Usage key={`u:${selected}`} name={selected} />}
    </Space>
  );
}
