import { Alert, Button, Card, Checkbox, Input, Space, Spin } from "antd";
import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { adminApi, ApiError } from "../../lib/api";
import { CheckReportView, SdlDiff } from "./CheckReportView";
import type { CheckReport, PublishResult, SubgraphDetails } from "./types";

interface Props {
  name: string;
  onPublished: () => void;
}

/** Paste or upload an SDL, check it against the registry, then publish it (or a new contact) with a reason. */
export function SchemaCheck({ name, onPublished }: Props) {
  const t = useT();
  const [current, setCurrent] = useState<SubgraphDetails | null>(null);
  const [sdl, setSdl] = useState("");
  const [contact, setContact] = useState("");
  const [updateCycle, setUpdateCycle] = useState("");
  const [reason, setReason] = useState("");
  const [override, setOverride] = useState(false);
  const [report, setReport] = useState<CheckReport | null>(null);
  const [outcome, setOutcome] = useState<{ type: "success" | "error"; text: string; diff?: string } | null>(
    null,
  );
  const [busy, setBusy] = useState<"check" | "publish" | null>(null);
  // Bumped after a publish: the published SDL and details become the new starting point.
  const [loaded, setLoaded] = useState(0);
  useEffect(() => {
    adminApi.get<SubgraphDetails>(`/subgraphs/${encodeURIComponent(name)}`).then(
      (details) => {
        setCurrent(details);
        setSdl(details.sdl);
        setContact(details.contact ?? "");
        setUpdateCycle(details.updateCycle ?? "");
      },
      (error: Error) => setOutcome({ type: "error", text: error.message }),
    );
  }, [name, loaded]);
  if (!current)
    return outcome ? (
      <Alert type="error" role="alert" message={outcome.text} />
    ) : (
      <Spin aria-label={t("common.loading")} />
    );

  // Only what changed is sent: an unchanged SDL is not re-read from the subgraph.
  const changes = () => ({
    ...(sdl !== current.sdl ? { sdl } : {}),
    ...(contact !== (current.contact ?? "") ? { contact } : {}),
    ...(updateCycle !== (current.updateCycle ?? "") ? { updateCycle } : {}),
  });
  const failed = (error: unknown) => {
    const api = error instanceof ApiError ? error : null;
    // A refused publish carries its check report (or SDL_MISMATCH's diff) as the error's details.
    const details = (api?.details ?? null) as (CheckReport & { diff?: string }) | null;
    if (details && Array.isArray(details.changes)) setReport(details);
    setOutcome({
      type: "error",
      text: api ? `${api.code}: ${api.message}` : String(error),
      diff: details?.diff,
    });
  };
  const check = async () => {
    setBusy("check");
    setOutcome(null);
    try {
      setReport(await adminApi.post<CheckReport>(`/subgraphs/${encodeURIComponent(name)}/check`, { sdl }));
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };
  const publish = async () => {
    setBusy("publish");
    setOutcome(null);
    try {
      const result = await adminApi.post<PublishResult>(`/subgraphs/${encodeURIComponent(name)}/update`, {
        ...changes(),
        reason,
        ...(override ? { override: true } : {}),
      });
      setReport(result.report);
      setOutcome({
        type: "success",
        text: result.published
          ? t("dept.published", { version: result.version.version })
          : t("dept.unchanged"),
      });
      if (result.published) {
        setLoaded((value) => value + 1);
        onPublished();
      }
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };
  const upload = async (file: File | undefined) => file && setSdl(await file.text());
  return (
    <Card title={t("dept.change", { name })}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <label htmlFor="sdl">{t("dept.sdl")}</label>
        <Input.TextArea
          id="sdl"
          rows={12}
          value={sdl}
          onChange={(event) => setSdl(event.target.value)}
          spellCheck={false}
          className="code"
        />
        <label>
          {t("dept.upload")}{" "}
          <input
            type="file"
            accept=".graphql,.graphqls,.gql,text/plain"
            onChange={(event) => void upload(event.target.files?.[0])}
          />
        </label>
        <SdlDiff before={current.sdl} after={sdl} />
        <Space wrap>
          <Input
            addonBefore={t("dept.contact")}
            value={contact}
            onChange={(event) => setContact(event.target.value)}
            aria-label={t("dept.contact")}
          />
          <Input
            addonBefore={t("dept.updateCycle")}
            value={updateCycle}
            onChange={(event) => setUpdateCycle(event.target.value)}
            aria-label={t("dept.updateCycle")}
          />
        </Space>
        <Input
          addonBefore={t("dept.reason")}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          aria-label={t("dept.reason")}
          maxLength={500}
        />
        <Checkbox checked={override} onChange={(event) => setOverride(event.target.checked)}>
          {t("dept.override")}
        </Checkbox>
        <Space>
          <Button onClick={() => void check()} loading={busy === "check"}>
            {t("dept.check")}
          </Button>
          <Button
            type="primary"
            onClick={() => void publish()}
            loading={busy === "publish"}
            disabled={reason.trim() === "" || Object.keys(changes()).length === 0}
          >
            {t("dept.publish")}
          </Button>
        </Space>
        {outcome && (
          <Alert
            type={outcome.type}
            role={outcome.type === "error" ? "alert" : "status"}
            showIcon
            message={outcome.text}
            description={outcome.diff ? <pre className="code">{outcome.diff}</pre> : undefined}
          />
        )}
        {report && <CheckReportView report={report} />}
      </Space>
    </Card>
  );
}
