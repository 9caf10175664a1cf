/**
 * Vocabularies of the synthetic world. Every place lives in province 99 "合成省", a region-code
 * range no real province uses, so no generated record can be mistaken for a real one.
 */
import type { Rng } from "./random";

/** One district of a synthetic city; code is the full 6-digit region code. */
export interface SyntheticDistrict {
  code: string;
  name: string;
}

/** A synthetic city: 4-digit code, name and its districts. */
export interface SyntheticCity {
  code: string;
  name: string;
  districts: readonly SyntheticDistrict[];
}

/** The synthetic province; the abbreviation heads certificate numbers. */
export const SYNTHETIC_PROVINCE = { code: "99", name: "合成省", abbreviation: "合" } as const;

const DISTRICT_NAMES = ["第一区", "第二区", "第三区", "第四区", "第五区"];

const city = (code: string, name: string): SyntheticCity => ({
  code,
  name,
  districts: DISTRICT_NAMES.map((d, i) => ({ code: `${code}0${i + 1}`, name: d })),
});

/** The three synthetic cities; 9901 is the main city where most people live. */
export const SYNTHETIC_CITIES: readonly SyntheticCity[] = [
  city("9901", "合成市"),
  city("9902", "样例市"),
  city("9903", "演示市"),
];

/** Every synthetic district region code, city by city (15 codes). */
export const REGION_CODES: readonly string[] = SYNTHETIC_CITIES.flatMap((c) =>
  c.districts.map((d) => d.code),
);

/** The 4-digit city code of a region code. */
export function cityOf(regionCode: string): string {
  return regionCode.slice(0, 4);
}

const CITY_BY_CODE = new Map(SYNTHETIC_CITIES.map((c) => [c.code, c]));

/** Name of the city of a synthetic region code. */
export function cityName(regionCode: string): string {
  return CITY_BY_CODE.get(cityOf(regionCode))?.name ?? "合成市";
}

/** "合成省合成市第二区" for region 990102. */
function regionPrefix(regionCode: string): string {
  const district = DISTRICT_NAMES[Number(regionCode.slice(4, 6)) - 1] ?? "第一区";
  return SYNTHETIC_PROVINCE.name + cityName(regionCode) + district;
}

/** City weights for homes and enterprises: most of the world lives in the main city. */
const CITY_WEIGHTS: readonly number[] = [70, 18, 12];

/** A district region code, main city most likely. */
export function randomRegion(rng: Rng, cityCode?: string): string {
  const c = cityCode ? CITY_BY_CODE.get(cityCode) : rng.weighted(SYNTHETIC_CITIES, CITY_WEIGHTS);
  return rng.pick((c ?? SYNTHETIC_CITIES[0]).districts).code;
}

/** A district region code in a city other than the given one. */
export function regionOutside(rng: Rng, cityCode: string): string {
  const others = SYNTHETIC_CITIES.filter((c) => c.code !== cityCode);
  return rng.pick(rng.pick(others).districts).code;
}

const STREETS = (
  "幸福路 和平路 建设路 人民路 解放路 中山路 新华路 光明路 长江路 黄河路 青年路 文化路 " +
  "胜利路 团结路 友谊路 朝阳路 东风路 春晖路 秀水街 银杏大道 梧桐巷 迎宾大道 学府路 滨河路 " +
  "花园街 枫林路 翠竹路 湖滨路 金桥路 科技大道"
).split(" ");

/** A residential address, e.g. 合成省合成市第二区幸福路12号3单元401室. */
export function homeAddress(rng: Rng, regionCode: string): string {
  const floor = rng.int(1, 28);
  return `${regionPrefix(regionCode)}${rng.pick(STREETS)}${rng.int(1, 399)}号${rng.int(1, 6)}单元${floor}0${rng.int(1, 4)}室`;
}

/** A business address, e.g. 合成省样例市第一区科技大道88号1203室. */
export function businessAddress(rng: Rng, regionCode: string): string {
  return `${regionPrefix(regionCode)}${rng.pick(STREETS)}${rng.int(1, 999)}号${rng.int(1, 30)}0${rng.int(1, 9)}室`;
}

const SURNAMES = (
  "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 " +
  "许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 " +
  "姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 欧阳 司马 " +
  "上官"
).split(" ");
const MALE_GIVEN = (
  "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 帅 " +
  "旭 宁 龙 林 洋 峰 建 国 志 文 博 晨 阳 东 海 毅 彬 昊 然 睿 泽 轩 航 铭 哲"
).split(" ");
const FEMALE_GIVEN = (
  "芳 娜 敏 静 丽 艳 娟 霞 秀 玲 桂 英 梅 琳 燕 萍 红 雪 婷 慧 莹 颖 倩 洁 佳 " +
  "欣 悦 怡 妍 琪 雅 晴 璐 瑶 涵 蕾 薇 月 露 彤 萱 诗 梦 馨 思 雨 嘉 宁 丹 晓"
).split(" ");

/** A Chinese name: surname (family name optional for children) + 1-2 given characters. */
export function personName(rng: Rng, sex: "M" | "F", surname?: string): string {
  const pool = sex === "M" ? MALE_GIVEN : FEMALE_GIVEN;
  const given = rng.chance(0.35) ? rng.pick(pool) : rng.pick(pool) + rng.pick(pool);
  return (surname ?? rng.pick(SURNAMES)) + given;
}

/** The family name of a name produced by personName (compound surnames are two characters). */
export function surnameOf(name: string): string {
  const two = name.slice(0, 2);
  return SURNAMES.includes(two) ? two : name.slice(0, 1);
}

const ETHNICITIES = ["汉族", "回族", "满族", "壮族", "维吾尔族", "苗族", "土家族", "彝族", "蒙古族", "藏族"];
const ETHNICITY_WEIGHTS = [915, 20, 18, 15, 6, 6, 6, 5, 5, 4];

/** An ethnicity, mostly 汉族. */
export function ethnicity(rng: Rng): string {
  return rng.weighted(ETHNICITIES, ETHNICITY_WEIGHTS);
}

/** A mobile number "1" + 10 digits with a plausible second digit. */
export function phoneNumber(rng: Rng): string {
  const second = rng.pick(["3", "5", "7", "8", "9"]);
  return `1${second}${String(rng.int(0, 999_999_999)).padStart(9, "0")}`;
}

const BRAND_CHARS = (
  "合 成 样 例 演 示 华 泰 鑫 盛 恒 达 瑞 丰 宏 远 新 源 海 峰 金 辉 信 诚 嘉 " +
  "禾 晟 昌 博 创 安 康 锦 程 天 启"
).split(" ");

/** An industry: the word in the enterprise name and its business scope. */
export interface Industry {
  word: string;
  scope: string;
}

/** Industries enterprises are drawn from. */
export const INDUSTRIES: readonly Industry[] = [
  { word: "科技", scope: "软件开发；信息技术咨询服务；计算机系统服务" },
  { word: "贸易", scope: "日用百货销售；五金产品批发；货物进出口" },
  { word: "建筑工程", scope: "房屋建筑工程施工；市政工程施工；建筑材料销售" },
  { word: "餐饮管理", scope: "餐饮服务；食品经营；餐饮管理" },
  { word: "物流", scope: "道路货物运输；仓储服务；国内货物运输代理" },
  { word: "电子", scope: "电子元器件制造；电子产品销售；技术服务" },
  { word: "食品", scope: "食品生产；食品销售；农副产品销售" },
  { word: "文化传媒", scope: "广告设计、代理；组织文化艺术交流活动；会议及展览服务" },
  { word: "机械制造", scope: "通用设备制造；机械零部件加工；机械设备销售" },
  { word: "医药", scope: "药品零售；医疗器械销售；保健食品销售" },
  { word: "物业管理", scope: "物业管理；停车场服务；家政服务" },
  { word: "教育咨询", scope: "教育咨询服务；职业技能培训；文化用品销售" },
  { word: "新材料", scope: "新材料技术研发；塑料制品制造；化工产品销售（不含危险化学品）" },
  { word: "农业发展", scope: "谷物种植；蔬菜种植；农产品初加工" },
];

/** Two brand characters, e.g. 恒达. */
export function brandName(rng: Rng): string {
  return rng.pick(BRAND_CHARS) + rng.pick(BRAND_CHARS);
}

/** Mortgagees: synthetic banks. */
export const BANKS: readonly string[] = [
  "合成银行合成市分行",
  "合成农村商业银行",
  "样例银行合成市分行",
  "演示商业银行样例市分行",
  "合成省住房公积金管理中心",
];

/** A court or public-security bureau that can seize property in the region. */
export function seizingAuthority(rng: Rng, regionCode: string): string {
  const base = cityName(regionCode) + (DISTRICT_NAMES[Number(regionCode.slice(4, 6)) - 1] ?? "");
  return rng.chance(0.8) ? `${base}人民法院` : `${cityName(regionCode)}公安局`;
}

/** A court case number such as (2024)合0102执1234号. */
export function caseNumber(rng: Rng, year: number, regionCode: string): string {
  return `(${year})合${regionCode.slice(2)}执${rng.int(1, 9999)}号`;
}
