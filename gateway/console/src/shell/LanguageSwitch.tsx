import { Segmented } from "antd";
import { useLanguage } from "../i18n";

/** 中文 / English: both labels in their own language, so either reader finds theirs. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  return (
    <Segmented<"zh" | "en">
      aria-label={t("app.language")}
      size="small"
      value={language}
      onChange={setLanguage}
      options={[
        { label: <span lang="zh-CN">中文</span>, value: "zh" },
        { label: <span lang="en">English</span>, value: "en" },
      ]}
    />
  );
}
