import { Alert, Button, Card, Descriptions, Input, Result, Space, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import { ApiError, graphql } from "../../lib/api";
import { localTime } from "../../lib/csv";

/** The matter every department verifies a shown proof under (schema/matters/proof-verification.yaml). */
const VERIFY_MATTER = "proof-verification";
const VERIFY = `query Verify($token: String!) { verifyProof(token: $token) { valid code reason keyId
  claims { certificate subject subjectKind verdict evidenceDigest matter caseNumber registries issuer issuedAt expiresAt } } }`;

interface Verification {
  valid: boolean;
  code: string | null;
  reason: string;
  keyId: string | null;
  claims: Record<string, string | string[] | null> | null;
}

/** 证明核验: a pasted token's signature, expiry and claims; no registry is called. */
export default function Verify() {
  const t = useT();
  const [token, setToken] = useState("");
  const [result, setResult] = useState<Verification | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const data = await graphql<{ verifyProof: Verification }>(
        VERIFY,
        { token: token.trim() },
        { matter: VERIFY_MATTER },
      );
      setResult(data.verifyProof);
    } catch (error) {
      setResult(null);
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    } finally {
      setBusy(false);
    }
  };
  const claims = result?.claims ?? null;
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title">
        {t("nav.verify")}
      </Typography.Title>
      <Card>
        <label htmlFor="proof-token">{t("verify.token")}</label>
        <Input.TextArea
          id="proof-token"
          rows={5}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          spellCheck={false}
        />
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          disabled={token.trim() === ""}
          loading={busy}
          onClick={() => void verify()}
        >
          {t("verify.submit")}
        </Button>
      </Card>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {result && (
        <Card>
          <Result
            status={result.valid ? "success" : "error"}
            title={result.valid ? t("verify.valid") : t("verify.invalid")}
            subTitle={`${result.code ? `${result.code}: ` : ""}${result.reason}`}
          />
          {claims && (
            <Descriptions
              bordered
              column={1}
              size="small"
              items={Object.entries(claims).map(([key, value]) => ({
                key,
                label: key,
                children: Array.isArray(value)
                  ? value.join(", ")
                  : key.endsWith("At") && value
                    ? localTime(value)
                    : (value ?? "—"),
              }))}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
