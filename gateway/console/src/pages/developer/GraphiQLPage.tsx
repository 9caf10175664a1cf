import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { Select, Space, Typography } from "antd";
import { GraphiQL } from "graphiql";
import { useMemo, useState } from "react";
import { useT } from "../../i18n";
import { sessionHeaders } from "../../lib/api";
import { storedMatter, storeMatter, useMatters } from "../clerk/matters";

const DEFAULT_QUERY = `# 每个请求都注明所办事项（x-matter-code）；操作人即登录用户。
# Every request states its matter (x-matter-code); the operator is the signed-in user.
query Matters {
  matters { code nameZh nameEn }
}
`;

/** GraphiQL, bundled: requests go to /graphql with the session cookie, its CSRF token and the matter chosen. */
export default function GraphiQLPage() {
  const t = useT();
  const { matters } = useMatters();
  const [matter, setMatter] = useState(storedMatter);
  const fetcher = useMemo(
    () => async (params: unknown) => {
      const response = await fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: sessionHeaders("POST", { "content-type": "application/json", "x-matter-code": matter }),
        body: JSON.stringify(params),
      });
      return (await response.json()) as Record<string, unknown>;
    },
    [matter],
  );
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Title level={1} className="page-title" style={{ margin: 0 }}>
          {t("nav.graphiql")}
        </Typography.Title>
        <Select
          aria-label={t("clerk.matter")}
          style={{ minWidth: 320 }}
          value={matter}
          onChange={(next: string) => {
            setMatter(next);
            storeMatter(next);
          }}
          options={(matters ?? [{ code: matter, nameZh: matter, nameEn: matter }]).map((entry) => ({
            value: entry.code,
            label: `${entry.code}`,
          }))}
        />
      </Space>
      <div className="graphiql-frame">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </Space>
  );
}
