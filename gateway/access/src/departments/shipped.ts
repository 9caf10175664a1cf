import type { SeedDepartment } from "./model";

/**
 * Every department the shipped configuration names (schema/matters, the registries' and the
 * certificates service's subgraphs, the dev stack's demo clients, the test fixtures' departments),
 * seeded at start so that existing setups keep working. A test keeps this list and those names
 * in step.
 */
export const SHIPPED_DEPARTMENTS: readonly SeedDepartment[] = [
  { code: "audit-office", nameZh: "审计局", nameEn: "Audit Office" },
  { code: "civil-affairs", nameZh: "民政局", nameEn: "Civil Affairs Bureau" },
  { code: "data-administration-bureau", nameZh: "数据管理局", nameEn: "Data Administration Bureau" },
  { code: "government-service-center", nameZh: "政务服务中心", nameEn: "Government Service Center" },
  {
    code: "housing-and-urban-rural-development",
    nameZh: "住房和城乡建设局",
    nameEn: "Housing and Urban-Rural Development Bureau",
  },
  {
    code: "housing-provident-fund-center",
    nameZh: "住房公积金管理中心",
    nameEn: "Housing Provident Fund Management Center",
  },
  {
    code: "human-resources-social-security",
    nameZh: "人力资源和社会保障局",
    nameEn: "Human Resources and Social Security Bureau",
  },
  { code: "market-regulation", nameZh: "市场监督管理局", nameEn: "Market Regulation Administration" },
  {
    code: "natural-resources",
    nameZh: "自然资源和规划局（不动产登记中心）",
    nameEn: "Natural Resources and Planning Bureau (Real Estate Registration)",
  },
  {
    code: "public-resources-trading-center",
    nameZh: "公共资源交易中心",
    nameEn: "Public Resources Trading Center",
  },
  { code: "public-security", nameZh: "公安局", nameEn: "Public Security Bureau" },
];
