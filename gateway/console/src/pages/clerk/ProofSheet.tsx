import { Button, Descriptions, Typography } from "antd";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useLanguage } from "../../i18n";
import { localTime } from "../../lib/csv";
import type { MatterCheck, Verdict } from "./matters";

/** The signed token as a QR code (a data: URL: the CSP allows images from data:, nothing remote). */
function ProofQr({ token, label }: { token: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(token, { errorCorrectionLevel: "M", margin: 1, width: 220 }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [token]);
  return src ? <img className="proof-qr" src={src} alt={label} width={220} height={220} /> : null;
}

/**
 * The printable sheet of the proofs issued for a case: per proof its certificate, subject,
 * reason, validity and the signed token, also as a QR code that any department scans to verify.
 */
export function ProofSheet({ check }: { check: MatterCheck }) {
  const { language, t } = useLanguage();
  const issued = check.verdicts.filter(
    (verdict): verdict is Verdict & { proof: NonNullable<Verdict["proof"]> } => Boolean(verdict.proof),
  );
  if (issued.length === 0) return null;
  const name = (named: { nameZh: string; nameEn: string }) =>
    language === "zh" ? named.nameZh : named.nameEn;
  return (
    <section className="proof-sheet" aria-labelledby="proof-sheet-title">
      <div className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => window.print()}>
          {t("clerk.print")}
        </Button>
      </div>
      <Typography.Title level={2} id="proof-sheet-title" style={{ fontSize: 20 }}>
        {t("sheet.title")} · {name(check.matter)}
      </Typography.Title>
      <Typography.Paragraph>
        {t("sheet.case")}: {check.caseNumber ?? "—"} · {t("sheet.checkedAt")}: {localTime(check.checkedAt)}
      </Typography.Paragraph>
      {issued.map((verdict) => (
        <article key={verdict.proof.token} className="proof-item">
          <ProofQr
            token={verdict.proof.token}
            label={t("sheet.qr", { certificate: name(verdict.certificate) })}
          />
          <Descriptions
            column={1}
            size="small"
            title={name(verdict.certificate)}
            items={[
              { key: "subject", label: t("clerk.subject"), children: verdict.subject },
              {
                key: "reason",
                label: t("clerk.reason"),
                children: language === "zh" ? verdict.reasonZh : verdict.reasonEn,
              },
              { key: "issued", label: t("sheet.issuedAt"), children: localTime(verdict.proof.issuedAt) },
              { key: "expires", label: t("sheet.expiresAt"), children: localTime(verdict.proof.expiresAt) },
              { key: "key", label: t("sheet.keyId"), children: verdict.proof.keyId },
              {
                key: "token",
                label: t("sheet.token"),
                children: <code className="proof-token">{verdict.proof.token}</code>,
              },
            ]}
          />
        </article>
      ))}
      <Typography.Paragraph type="secondary">{t("sheet.howToVerify")}</Typography.Paragraph>
    </section>
  );
}
