import { Alert, Descriptions, List, Table, Tag, Typography } from "antd";
import { useMemo } from "react";
import { useT } from "../../i18n";
import { changedHunks, lineDiff } from "../../lib/diff";
import { localTime } from "../../lib/csv";
import type { CheckReport } from "./types";
import { TAG } from "../../lib/colours";

/** What the pasted SDL changes against the published one, as a diff of lines. */
export function SdlDiff({ before, after }: { before: string; after: string }) {
  const t = useT();
  const hunks = useMemo(
    () => (before === after ? [] : changedHunks(lineDiff(before, after))),
    [before, after],
  );
  if (hunks.length === 0) return <Typography.Text type="secondary">{t("dept.noTextChange")}</Typography.Text>;
  return (
    <pre className="code diff" aria-label={t("dept.diff")}>
      {hunks.map((line, index) =>
        line === null ? (
          <div key={index} className="diff-gap">
            …
          </div>
        ) : (
          <div key={index} className={`diff-${line.kind}`}>
            {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
            {line.text}
          </div>
        ),
      )}
    </pre>
  );
}

const problemLists = [
  "compositionErrors",
  "ownershipConflicts",
  "matterConflicts",
  "catalogueConflicts",
] as const;

/** A check's report: composition errors, conflicts, each schema change, breaking ones with their users. */
export function CheckReportView({ report }: { report: CheckReport }) {
  const t = useT();
  const breakingFields = new Set(report.breaking.map((entry) => entry.field));
  return (
    <div aria-label={t("dept.report")}>
      <Alert
        type={report.ok ? "success" : "warning"}
        showIcon
        message={
          report.ok
            ? t("dept.reportOk", { version: report.baseVersion })
            : t("dept.reportNotOk", { version: report.baseVersion })
        }
      />
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 12 }}
        items={problemLists
          .filter((key) => report[key].length > 0)
          .map((key) => ({
            key,
            label: t(`dept.${key}`),
            children: (
              <List
                size="small"
                dataSource={report[key]}
                renderItem={(item) => <List.Item>{item}</List.Item>}
              />
            ),
          }))}
      />
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t("dept.changes")}
      </Typography.Title>
      {report.changes.length === 0 ? (
        <Typography.Text type="secondary">{t("dept.noChanges")}</Typography.Text>
      ) : (
        <pre className="code diff">
          {report.changes.map((change, index) => (
            <div key={index} className={breakingFields.has(change.field) ? "diff-removed" : "diff-added"}>
              {breakingFields.has(change.field) ? "! " : "~ "}
              {change.field} [{change.kind}] {change.description}
            </div>
          ))}
        </pre>
      )}
      {report.breaking.length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t("dept.usage", { days: report.usageWindowDays })}
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey={(row) => `${row.field}:${row.clientId}`}
            dataSource={report.breaking.flatMap((entry) =>
              entry.clients.map((client) => ({ field: entry.field, ...client })),
            )}
            columns={[
              {
                title: t("dept.field"),
                dataIndex: "field",
                render: (field: string) => <Tag color={TAG.red}>{field}</Tag>,
              },
              { title: t("dept.client"), render: (_, row) => row.name ?? row.clientId },
              { title: t("dept.requests"), dataIndex: "requests" },
              { title: t("dept.lastUsed"), render: (_, row) => localTime(row.lastUsed) },
            ]}
          />
        </>
      )}
    </div>
  );
}
