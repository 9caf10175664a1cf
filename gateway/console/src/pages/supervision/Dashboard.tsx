import { Alert, Button, Card, Col, Input, Row, Space, Statistic, Table, Typography } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useLanguage } from "../../i18n";
import { adminApi } from "../../lib/api";
import { Chart, type ChartOption } from "./Chart";
import { daysBetween, loadDashboard, type Dashboard as Data } from "./stats";

interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

const localDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
const daysAgo = (days: number) => localDay(new Date(Date.now() - days * 86_400_000));

/** 成效: the reform's numbers from the audit trail, per department and day, over a date range. */
export default function Dashboard() {
  const { language, t } = useLanguage();
  const [from, setFrom] = useState(daysAgo(6));
  const [to, setTo] = useState(daysAgo(0));
  const [data, setData] = useState<Data | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(() => {
    setFailure(null);
    loadDashboard(from, to).then(setData, (error: Error) => setFailure(error.message));
  }, [from, to]);
  useEffect(() => load(), [load]);
  useEffect(() => {
    adminApi.get<Department[]>("/departments").then(
      (all) =>
        setNames(new Map(all.map((entry) => [entry.code, language === "zh" ? entry.nameZh : entry.nameEn]))),
      () => setNames(new Map()),
    );
  }, [language]);
  const name = useCallback((code: string) => names.get(code) ?? code, [names]);

  const charts = useMemo(() => {
    if (!data) return null;
    const days = data.days.map((entry) => entry.day);
    const departments = data.total.perDepartment.map((entry) => entry.key);
    const perDay = data.days.map((entry) => ({
      day: entry.day,
      calls: entry.perDepartment.reduce((sum, tally) => sum + tally.calls, 0),
      denied: entry.perDepartment.reduce((sum, tally) => sum + tally.denied, 0),
    }));
    const ranking = [...data.total.perDepartment].sort((a, b) => b.calls - a.calls);
    const byDepartmentDay: ChartOption = {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { top: 40, left: 50, right: 20, bottom: 30 },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: departments.map((department) => ({
        name: name(department),
        type: "bar",
        stack: "calls",
        data: data.days.map(
          (entry) => entry.perDepartment.find((tally) => tally.key === department)?.calls ?? 0,
        ),
      })),
    };
    const proofs = data.checks?.proofsIssued ?? [];
    const certificates: ChartOption = {
      tooltip: { trigger: "axis" },
      grid: { left: 160, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: proofs.map((entry) => entry.certificate) },
      series: [{ name: t("dash.proofs"), type: "bar", data: proofs.map((entry) => entry.count) }],
    };
    const matters = (data.checks?.perMatter ?? []).map((entry) => ({
      ...entry,
      share: entry.checks === 0 ? 0 : Math.round((entry.satisfied / entry.checks) * 1000) / 10,
    }));
    const rankingChart: ChartOption = {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 180, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: ranking.map((entry) => name(entry.key)) },
      series: [
        { name: t("dash.calls"), type: "bar", data: ranking.map((entry) => entry.calls) },
        {
          name: t("dash.denied"),
          type: "bar",
          data: ranking.map((entry) => entry.denied),
          itemStyle: { color: "#cf1322" },
        },
      ],
    };
    return { byDepartmentDay, certificates, rankingChart, perDay, ranking, matters };
  }, [data, name, t]);

  const totals = data?.total.perDepartment.reduce(
    (sum, tally) => ({ calls: sum.calls + tally.calls, denied: sum.denied + tally.denied }),
    { calls: 0, denied: 0 },
  );
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={1} className="page-title">
        {t("nav.supervision")}
      </Typography.Title>
      <Card>
        <Space wrap>
          <Input
            type="date"
            addonBefore={t("audit.from")}
            aria-label={t("audit.from")}
            value={from}
            max={to}
            onChange={(event) => setFrom(event.target.value)}
          />
          <Input
            type="date"
            addonBefore={t("audit.to")}
            aria-label={t("audit.to")}
            value={to}
            min={from}
            onChange={(event) => setTo(event.target.value)}
          />
          <Button onClick={load}>{t("dash.refresh")}</Button>
          <Typography.Text type="secondary">
            {t("dash.days", { days: daysBetween(from, to).length })}
          </Typography.Text>
        </Space>
      </Card>
      {failure && <Alert type="error" role="alert" showIcon message={failure} />}
      {charts && totals && (
        <>
          <Row gutter={16}>
            <Col span={8}>
              <Card>
                <Statistic title={t("dash.totalCalls")} value={totals.calls} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t("dash.totalDenied")} value={totals.denied} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t("dash.departments")} value={charts.ranking.length} />
              </Card>
            </Col>
          </Row>
          <Card title={t("dash.byDepartmentDay")}>
            <Chart option={charts.byDepartmentDay} label={t("dash.byDepartmentDay")} />
            <Table
              size="small"
              pagination={false}
              rowKey="day"
              aria-label={t("dash.perDayTable")}
              dataSource={charts.perDay}
              columns={[
                { title: t("dash.day"), dataIndex: "day" },
                { title: t("dash.calls"), dataIndex: "calls" },
                { title: t("dash.denied"), dataIndex: "denied" },
              ]}
            />
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title={t("dash.ranking")}>
                <Chart option={charts.rankingChart} label={t("dash.ranking")} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t("dash.certificates")}>
                <Chart option={charts.certificates} label={t("dash.certificates")} />
              </Card>
            </Col>
          </Row>
          <Card title={t("dash.sharedOnly")}>
            {data?.checks ? (
              <Table
                size="small"
                pagination={false}
                rowKey="matter"
                aria-label={t("dash.sharedOnly")}
                dataSource={charts.matters}
                columns={[
                  { title: t("dash.matter"), dataIndex: "matter" },
                  { title: t("dash.checks"), dataIndex: "checks" },
                  { title: t("dash.satisfied"), dataIndex: "satisfied" },
                  { title: t("dash.share"), dataIndex: "share", render: (share: number) => `${share}%` },
                  { title: t("dash.commitments"), dataIndex: "commitments" },
                ]}
              />
            ) : (
              <Alert type="info" showIcon message={t("dash.sharedOnlyMissing")} />
            )}
          </Card>
        </>
      )}
    </Space>
  );
}
