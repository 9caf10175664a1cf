import { Alert, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useLanguage } from "../../i18n";
import { ApiError, graphql } from "../../lib/api";
import type { Verdict } from "./matters";

const RECORD = `mutation Commit($input: CommitmentInput!) {
  recordCommitment(input: $input) { id status statement reasonCode } }`;

interface Props {
  verdict: Verdict;
  matter: string;
  caseNumber: string;
  /** The subject as typed: the verdict shows it masked. */
  subject: { role?: string; idNumber?: string; uscc?: string };
  onClose: (recorded: boolean) => void;
}

/** Records the applicant's commitment (告知承诺) for a proof the shared data could not decide. */
export function CommitmentModal({ verdict, matter, caseNumber, subject, onClose }: Props) {
  const { language, t } = useLanguage();
  const certificate = language === "zh" ? verdict.certificate.nameZh : verdict.certificate.nameEn;
  const [statement, setStatement] = useState(t("commit.template", { certificate }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await graphql(
        RECORD,
        { input: { matter, certificate: verdict.certificate.id, subject, statement } },
        { matter, caseNumber },
      );
      onClose(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? `${failure.code}: ${failure.message}` : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("commit.title", { certificate })}
      okText={t("commit.submit")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      okButtonProps={{ disabled: !caseNumber || statement.trim() === "" }}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
    >
      <Typography.Paragraph>{language === "zh" ? verdict.reasonZh : verdict.reasonEn}</Typography.Paragraph>
      {!caseNumber && (
        <Alert type="warning" showIcon message={t("commit.needsCase")} style={{ marginBottom: 12 }} />
      )}
      {error && <Alert type="error" role="alert" showIcon message={error} style={{ marginBottom: 12 }} />}
      <label htmlFor="commit-statement">{t("commit.statement")}</label>
      <Input.TextArea
        id="commit-statement"
        rows={4}
        value={statement}
        onChange={(event) => setStatement(event.target.value)}
      />
    </Modal>
  );
}
