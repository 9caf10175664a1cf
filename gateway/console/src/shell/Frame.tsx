import { Button, Layout, Menu, Space, Typography } from "antd";
import type { ReactNode } from "react";
import { useT, type MessageKey } from "../i18n";
import { PAGE_PATHS, pageAt, ROLE_PAGES } from "../lib/roles";
import { LanguageSwitch } from "./LanguageSwitch";
import { navigate, usePath } from "./router";
import { useSession, useUser } from "./session";

/** The frame around every page: the role's menu (only its own pages), the user, language, logout. */
export function Frame({ children }: { children: ReactNode }) {
  const t = useT();
  const user = useUser();
  const { logout } = useSession();
  const current = pageAt(usePath());
  const items = ROLE_PAGES[user.role].map((page) => ({
    key: page,
    label: (
      <a
        href={PAGE_PATHS[page]}
        onClick={(event) => {
          event.preventDefault();
          navigate(PAGE_PATHS[page]);
        }}
      >
        {t(`nav.${page}` as MessageKey)}
      </a>
    ),
  }));
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="frame-header">
        <Typography.Text strong className="frame-title">
          {t("app.title")}
        </Typography.Text>
        <nav aria-label={t("app.navigation")} style={{ flex: 1, minWidth: 0 }}>
          <Menu mode="horizontal" theme="dark" selectedKeys={current ? [current] : []} items={items} />
        </nav>
        <Space>
          <span className="frame-user">
            {user.displayName} · {t(`role.${user.role}` as MessageKey)}
          </span>
          <LanguageSwitch />
          <Button size="small" onClick={() => void logout()}>
            {t("app.logout")}
          </Button>
        </Space>
      </Layout.Header>
      {/* Layout.Content is the page's <main> landmark. */}
      <Layout.Content className="frame-content">{children}</Layout.Content>
    </Layout>
  );
}
