import { Alert, Button, Card, Input, Space, Tag, Timeline as AntTimeline, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { adminApi, ApiError } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { TAG } from "../../lib/colours";

interface Access {
  at: string;
  client: string | null;
  department: string | null;
  operator: string | null;
  matter: string | null;
  caseNumber: string | null;
  fields: string[];
  outcome: string;
  status: number;
  errorCode: string | null;
  seq: number;
}

/** 公民时间线: who read about one person, enterprise or unit, when, for which matter (restricted ones left out). */
export default function Timeline() {
  const t = useT();
  const [subject, setSubject] = useState("");
  const [accesses, setAccesses] = useState<Access[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = async (more: boolean) => {
    setFailure(null);
    try {
      const page = await adminApi.get<{ accesses: Access[]; nextCursor: string | null }>(
        `/audit/subjects/${encodeURIComponent(subject.trim())}/history`,
        { limit: 100, cursor: more ? cursor : null },
      );
      setAccesses((previous) => (more && previous ? [...previous, ...page.accesses] : page.accesses));
      setCursor(page.nextCursor);
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title">
        {t("nav.timeline")}
      </Typography.Title>
      <Card>
        <Space.Compact style={{ width: 520, maxWidth: "100%" }}>
          <Input
            aria-label={t("timeline.subject")}
            placeholder={t("timeline.subject")}
            value={subject}
            onChange={(event) => setSubject(event.target.value.trim())}
            onPressEnter={() => void load(false)}
          />
          <Button type="primary" onClick={() => void load(false)} disabled={subject === ""}>
            {t("timeline.show")}
          </Button>
        </Space.Compact>
      </Card>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {accesses && accesses.length === 0 && <Alert type="info" showIcon message={t("timeline.none")} />}
      {accesses && accesses.length > 0 && (
        <Card>
          <AntTimeline
            items={accesses.map((access) => ({
              key: access.seq,
              color: access.outcome === "ok" ? TAG.green : TAG.red,
              children: (
                <div className="timeline-entry">
                  <strong>{localTime(access.at)}</strong> · {access.department ?? "—"} ·{" "}
                  {access.client ?? "—"} · {t("audit.operator")} {access.operator ?? "—"}
                  <div>
                    {t("audit.matter")}: {access.matter ?? "—"}{" "}
                    {access.caseNumber ? `· ${t("audit.case")} ${access.caseNumber}` : ""} ·{" "}
                    <Tag color={access.outcome === "ok" ? TAG.green : TAG.red}>
                      {access.outcome}
                      {access.errorCode ? ` ${access.errorCode}` : ""}
                    </Tag>
                  </div>
                  <div className="evidence">{access.fields.join(", ")}</div>
                </div>
              ),
            }))}
          />
          {cursor && <Button onClick={() => void load(true)}>{t("audit.more")}</Button>}
        </Card>
      )}
    </Space>
  );
}
