import { Alert, Button, Descriptions, Spin } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useT } from "../../i18n";
import { adminApi } from "../../lib/api";
import { localTime } from "../../lib/csv";
import { consistent, headSigned, type SignedTreeHead } from "../../lib/merkle";

type Status =
  | { state: "checking" }
  | { state: "empty" }
  | { state: "unsupported"; suite: string }
  | {
      state: "ok" | "failed";
      latest: SignedTreeHead;
      first: SignedTreeHead;
      heads: number;
      badSignatures: number;
      consistent: boolean;
    };

/**
 * Whether the log still checks out, verified here rather than taken on the server's word: every
 * signed tree head against the published keys, and the proof that the latest tree extends the first.
 */
export function ChainStatus() {
  const t = useT();
  const [status, setStatus] = useState<Status>({ state: "checking" });
  const [failure, setFailure] = useState<string | null>(null);
  const check = useCallback(async () => {
    setStatus({ state: "checking" });
    setFailure(null);
    try {
      const [{ treeHeads }, keys] = await Promise.all([
        adminApi.get<{ treeHeads: SignedTreeHead[] }>("/audit/tree-heads"),
        adminApi.get<{ keyId: string; publicKey: string }[]>("/audit/keys"),
      ]);
      if (treeHeads.length === 0) return setStatus({ state: "empty" });
      const first = treeHeads[0];
      const latest = treeHeads[treeHeads.length - 1];
      if (latest.suite !== "sha256") return setStatus({ state: "unsupported", suite: latest.suite });
      const byId = new Map(keys.map((key) => [key.keyId, key.publicKey]));
      const signed = await Promise.all(treeHeads.map((head) => headSigned(head, byId)));
      const proof = await adminApi.get<{ proof: string[] }>("/audit/consistency", {
        from: first.treeSize,
        to: latest.treeSize,
      });
      const extends_ = await consistent(
        first.treeSize,
        latest.treeSize,
        proof.proof,
        first.rootHash,
        latest.rootHash,
      );
      const badSignatures = signed.filter((ok) => !ok).length;
      setStatus({
        state: badSignatures === 0 && extends_ ? "ok" : "failed",
        latest,
        first,
        heads: treeHeads.length,
        badSignatures,
        consistent: extends_,
      });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  }, []);
  useEffect(() => void check(), [check]);
  if (failure) return <Alert type="error" role="alert" showIcon message={failure} />;
  if (status.state === "checking") return <Spin aria-label={t("common.loading")} />;
  if (status.state === "empty") return <Alert type="info" showIcon message={t("chain.empty")} />;
  if (status.state === "unsupported")
    return <Alert type="info" showIcon message={t("chain.unsupported", { suite: status.suite })} />;
  return (
    <>
      <Alert
        role="status"
        type={status.state === "ok" ? "success" : "error"}
        showIcon
        message={status.state === "ok" ? t("chain.ok", { size: status.latest.treeSize }) : t("chain.failed")}
        description={t("chain.offline")}
      />
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 12 }}
        items={[
          { key: "size", label: t("chain.size"), children: status.latest.treeSize },
          { key: "at", label: t("chain.signedAt"), children: localTime(status.latest.timestamp) },
          { key: "key", label: t("chain.key"), children: status.latest.keyId },
          {
            key: "heads",
            label: t("chain.heads"),
            children: `${status.heads} (${t("chain.badSignatures", { count: status.badSignatures })})`,
          },
          {
            key: "consistent",
            label: t("chain.consistent", { from: status.first.treeSize, to: status.latest.treeSize }),
            children: status.consistent ? t("common.yes") : t("common.no"),
          },
        ]}
      />
      <Button style={{ marginTop: 12 }} onClick={() => void check()}>
        {t("chain.recheck")}
      </Button>
    </>
  );
}
