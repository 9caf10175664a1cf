import { Card, Tabs, Typography } from "antd";
import { useT } from "../../i18n";
import { Clients } from "./Clients";
import { Grants } from "./Grants";
import { Keys } from "./Keys";
import { Users } from "./Users";

/** 管理: clients and their keys, the grant approval queue, signing keys, console users. */
export default function Admin() {
  const t = useT();
  return (
    <>
      <Typography.Title level={1} className="page-title">
        {t("nav.admin")}
      </Typography.Title>
      <Card>
        <Tabs
          items={[
            { key: "clients", label: t("admin.clients"), children: <Clients /> },
            { key: "grants", label: t("admin.grants"), children: <Grants /> },
            { key: "keys", label: t("admin.keys"), children: <Keys /> },
            { key: "users", label: t("admin.users"), children: <Users /> },
          ]}
        />
      </Card>
    </>
  );
}
