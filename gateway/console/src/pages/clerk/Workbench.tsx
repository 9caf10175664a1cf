import { Alert, App, Button, Card, Form, Input, Select, Space, Spin, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useLanguage } from "../../i18n";
import { ApiError, graphql } from "../../lib/api";
import { CommitmentModal } from "./CommitmentModal";
import {
  CHECK_FIELDS,
  STATUS_COLOURS,
  storedMatter,
  storeMatter,
  useMatters,
  type Matter,
  type MatterCheck,
  type Verdict,
} from "./matters";
import { ProofSheet } from "./ProofSheet";
import { checkOf, SubjectField } from "./SubjectField";
import { VerdictTable } from "./VerdictTable";

type SubjectInput = { role: string; idNumber?: string; uscc?: string };

const subjectsOf = (matter: Matter, values: Record<string, string>): SubjectInput[] =>
  matter.subjects.map(({ role, kind }) =>
    kind === "ENTERPRISE" ? { role, uscc: values[role] ?? "" } : { role, idNumber: values[role] ?? "" },
  );

/** 窗口受理: the clerk checks every proof a matter needs for its subjects, issues and prints proofs. */
export default function Workbench() {
  const { language, t } = useLanguage();
  const { message } = App.useApp();
  const { matters, error: mattersError } = useMatters();
  const [code, setCode] = useState(storedMatter);
  const [caseNumber, setCaseNumber] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [check, setCheck] = useState<MatterCheck | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<"check" | "issue" | null>(null);
  const [committing, setCommitting] = useState<Verdict | null>(null);
  const matter = useMemo(() => matters?.find((entry) => entry.code === code) ?? null, [matters, code]);
  const name = (named: { nameZh: string; nameEn: string }) =>
    language === "zh" ? named.nameZh : named.nameEn;
  const ready =
    matter !== null && matter.subjects.every(({ role, kind }) => checkOf(kind, values[role] ?? "").ok);

  const run = async (issue: boolean) => {
    if (!matter) return;
    setBusy(issue ? "issue" : "check");
    setFailure(null);
    const field = issue ? "issueProofs" : "checkMatter";
    const operation = `${issue ? "mutation" : "query"} Check($matter: ID!, $subjects: [SubjectInput!]!) {
      result: ${field}(matter: $matter, subjects: $subjects) { ${CHECK_FIELDS} } }`;
    try {
      const data = await graphql<{ result: MatterCheck }>(
        operation,
        { matter: matter.code, subjects: subjectsOf(matter, values) },
        { matter: matter.code, caseNumber: caseNumber || undefined },
      );
      setCheck(data.result);
    } catch (error) {
      setCheck(null);
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    } finally {
      setBusy(null);
    }
  };

  if (mattersError)
    return (
      <Alert
        type="error"
        role="alert"
        showIcon
        message={t("clerk.mattersFailed")}
        description={mattersError.message}
      />
    );
  if (!matters) return <Spin aria-label={t("common.loading")} />;
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title no-print">
        {t("nav.clerk")}
      </Typography.Title>
      <Card className="no-print">
        <Form layout="vertical" onFinish={() => void run(false)}>
          <Space wrap size="large" align="start">
            <Form.Item label={t("clerk.matter")} htmlFor="matter" style={{ minWidth: 320 }}>
              <Select
                id="matter"
                showSearch
                optionFilterProp="label"
                value={code}
                onChange={(next: string) => {
                  setCode(next);
                  storeMatter(next);
                  setCheck(null);
                }}
                options={matters.map((entry) => ({
                  value: entry.code,
                  label: `${name(entry)} (${entry.code})`,
                }))}
              />
            </Form.Item>
            <Form.Item label={t("clerk.caseNumber")} htmlFor="case-number">
              <Input
                id="case-number"
                value={caseNumber}
                maxLength={64}
                placeholder="PRH-2026-000123"
                onChange={(event) => setCaseNumber(event.target.value.trim())}
              />
            </Form.Item>
          </Space>
          {matter && (
            <>
              <Typography.Paragraph type="secondary">
                {t("clerk.needs")}: {matter.certificates.map((entry) => name(entry.certificate)).join("、")}
              </Typography.Paragraph>
              <Space wrap size="large" align="start">
                {matter.subjects.map((subject) => (
                  <div key={subject.role} style={{ width: 300 }}>
                    <SubjectField
                      id={`subject-${subject.role}`}
                      label={`${name(subject)} · ${subject.kind === "ENTERPRISE" ? t("clerk.uscc") : t("clerk.idNumber")}`}
                      kind={subject.kind}
                      value={values[subject.role] ?? ""}
                      onChange={(value) => setValues((previous) => ({ ...previous, [subject.role]: value }))}
                    />
                  </div>
                ))}
              </Space>
            </>
          )}
          <Space>
            <Button type="primary" htmlType="submit" disabled={!ready} loading={busy === "check"}>
              {t("clerk.check")}
            </Button>
            <Button disabled={!ready} loading={busy === "issue"} onClick={() => void run(true)}>
              {t("clerk.issue")}
            </Button>
          </Space>
        </Form>
      </Card>
      {failure && (
        <Alert
          className="no-print"
          type="error"
          role="alert"
          showIcon
          message={t("clerk.checkFailed")}
          description={failure}
        />
      )}
      {check && (
        <Card
          className="no-print"
          title={
            <span>
              {t("clerk.outcome")}:{" "}
              <Tag color={STATUS_COLOURS[check.outcome]}>{t(`status.${check.outcome}`)}</Tag>
            </span>
          }
        >
          <VerdictTable verdicts={check.verdicts} onCommit={setCommitting} />
        </Card>
      )}
      {check && <ProofSheet check={check} />}
      {committing && matter && (
        <CommitmentModal
          verdict={committing}
          matter={matter.code}
          caseNumber={caseNumber}
          subject={
            subjectsOf(matter, values).find((subject) => subject.role === committing.role) ??
            subjectsOf(matter, values)[0]
          }
          onClose={(recorded) => {
            setCommitting(null);
            if (recorded) void message.success(t("commit.recorded"));
          }}
        />
      )}
    </Space>
  );
}
