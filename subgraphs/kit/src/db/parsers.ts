/** PostgreSQL type OIDs that the two drivers would otherwise return in different shapes. */
export const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, FLOAT8: 701, INT4: 23 } as const;

const toNumber = (value: string): number => Number(value);
const keep = (value: string): string => value;

/** One set of parsers for both drivers: numbers as numbers, dates as ISO strings. */
export const TEXT_PARSERS: Record<number, (value: string) => unknown> = {
  [OID.INT8]: toNumber,
  [OID.NUMERIC]: toNumber,
  [OID.DATE]: keep,
};
