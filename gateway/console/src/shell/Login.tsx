import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useEffect, useState } from "react";
import { useT } from "../i18n";
import { ApiError, request } from "../lib/api";
import { LanguageSwitch } from "./LanguageSwitch";
import { useSession } from "./session";

interface Credentials {
  username: string;
  password: string;
}

export function Login() {
  const t = useT();
  const { login } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Single sign-on is offered when the gateway has an identity provider (OIDC_ISSUER).
  const [sso, setSso] = useState<string | null>(null);
  useEffect(() => {
    request<{ enabled: boolean; loginUrl: string | null }>("GET", "/console/api/oidc").then(
      (answer) => setSso(answer.enabled ? answer.loginUrl : null),
      () => setSso(null),
    );
  }, []);
  const submit = async ({ username, password }: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : "";
      setError(code === "RATE_LIMITED" ? t("login.rateLimited") : t("login.failed"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <Card style={{ width: 380 }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t("app.title")}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t("login.intro")}</Typography.Paragraph>
        {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form<Credentials> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item
            label={t("login.username")}
            name="username"
            rules={[{ required: true, message: t("login.usernameRequired") }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t("login.password")}
            name="password"
            rules={[{ required: true, message: t("login.passwordRequired") }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("login.submit")}
          </Button>
        </Form>
        {sso && (
          <Button href={sso} block style={{ marginTop: 12 }}>
            {t("login.sso")}
          </Button>
        )}
      </Card>
    </main>
  );
}
