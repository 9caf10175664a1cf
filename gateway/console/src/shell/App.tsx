import { App as AntApp, ConfigProvider, Result, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from "react";
import { useLanguage, useT } from "../i18n";
import { homeOf, mayOpen, pageAt, type PageId } from "../lib/roles";
import { Frame } from "./Frame";
import { Login } from "./Login";
import { navigate, usePath } from "./router";
import { useSession } from "./session";

// Each page is a chunk of its own, loaded when opened: the first screen (the login form and the
// frame) carries neither ECharts nor GraphiQL, nor another role's pages.
const PAGES: Record<PageId, LazyExoticComponent<ComponentType>> = {
  clerk: lazy(() => import("../pages/clerk/Workbench")),
  verify: lazy(() => import("../pages/clerk/Verify")),
  commitments: lazy(() => import("../pages/clerk/Commitments")),
  department: lazy(() => import("../pages/department/Department")),
  audit: lazy(() => import("../pages/audit/Search")),
  timeline: lazy(() => import("../pages/audit/Timeline")),
  supervision: lazy(() => import("../pages/supervision/Dashboard")),
  admin: lazy(() => import("../pages/admin/Admin")),
  graphiql: lazy(() => import("../pages/developer/GraphiQLPage")),
};

/** Antd's default primary blue on white is 4.0:1; this darker blue passes WCAG AA (4.5:1) for text. */
const THEME = {
  token: {
    colorPrimary: "#0958d9",
    colorLink: "#0958d9",
    // Secondary and tertiary text (descriptions' labels, hints) dark enough for 4.5:1 on white.
    colorTextSecondary: "rgba(0,0,0,0.65)",
    colorTextTertiary: "rgba(0,0,0,0.62)",
    colorTextDescription: "rgba(0,0,0,0.65)",
  },
};

function Routed() {
  const t = useT();
  const { user } = useSession();
  const path = usePath();
  const page = pageAt(path);
  const home = user ? homeOf(user.role) : null;
  useEffect(() => {
    if (home && (path === "/console" || path === "/console/")) navigate(home);
  }, [home, path]);
  if (user === undefined) return <Spin fullscreen aria-label={t("common.loading")} />;
  if (user === null) return <Login />;
  if (page === null || !mayOpen(user.role, page)) {
    const known = page !== null;
    return (
      <Frame>
        <Result
          status={known ? "403" : "404"}
          title={known ? t("common.forbidden") : t("common.notFound")}
          subTitle={known ? t("common.forbiddenHint") : undefined}
          extra={<a href={homeOf(user.role)}>{t("common.backHome")}</a>}
        />
      </Frame>
    );
  }
  const Page = PAGES[page];
  return (
    <Frame>
      <Suspense fallback={<Spin aria-label={t("common.loading")} />}>
        <Page />
      </Suspense>
    </Frame>
  );
}

export function App() {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === "zh" ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <Routed />
      </AntApp>
    </ConfigProvider>
  );
}
