import { Button, Table, Tag, Typography } from "antd";
import { useLanguage } from "../../i18n";
import { STATUS_COLOURS, type Verdict } from "./matters";
import { TAG } from "../../lib/colours";

const evidenceText = (evidence: Record<string, unknown>) =>
  Object.entries(evidence)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value as string | number | boolean)}`,
    )
    .join("  ");

interface Props {
  verdicts: Verdict[];
  onCommit: (verdict: Verdict) => void;
}

/** One row per proof: its verdict, the reason in the chosen language, evidence and registries read. */
export function VerdictTable({ verdicts, onCommit }: Props) {
  const { language, t } = useLanguage();
  return (
    <Table<Verdict>
      rowKey={(verdict) => `${verdict.certificate.id}:${verdict.role ?? ""}:${verdict.subject}`}
      dataSource={verdicts}
      pagination={false}
      size="middle"
      columns={[
        {
          title: t("clerk.certificate"),
          render: (_, verdict) =>
            language === "zh" ? verdict.certificate.nameZh : verdict.certificate.nameEn,
        },
        { title: t("clerk.subject"), render: (_, verdict) => <code>{verdict.subject}</code> },
        {
          title: t("clerk.verdict"),
          render: (_, verdict) => (
            <Tag color={STATUS_COLOURS[verdict.status]}>{t(`status.${verdict.status}`)}</Tag>
          ),
        },
        {
          title: t("clerk.reason"),
          render: (_, verdict) => (
            <>
              <div>{language === "zh" ? verdict.reasonZh : verdict.reasonEn}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {verdict.reasonCode}
              </Typography.Text>
            </>
          ),
        },
        {
          title: t("clerk.evidence"),
          render: (_, verdict) => <span className="evidence">{evidenceText(verdict.evidence)}</span>,
        },
        { title: t("clerk.registries"), render: (_, verdict) => verdict.registries.join(", ") },
        {
          title: t("clerk.actions"),
          render: (_, verdict) =>
            verdict.status === "UNDETERMINED" && verdict.commitmentAllowed ? (
              <Button size="small" onClick={() => onCommit(verdict)}>
                {t("clerk.commit")}
              </Button>
            ) : verdict.proof ? (
              <Tag color={TAG.blue}>{t("clerk.proofIssued")}</Tag>
            ) : null,
        },
      ]}
    />
  );
}
