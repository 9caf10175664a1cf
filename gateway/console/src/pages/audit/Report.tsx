import { useT } from "../../i18n";
import { recordColumns } from "./columns";
import type { AuditRecord, Filter } from "./types";

/** The printed report of a search: its filter, when it was made, counts by outcome and every record. */
export function Report({ filter, records }: { filter: Filter; records: AuditRecord[] }) {
  const t = useT();
  const columns = recordColumns(t).filter((column) => column.header !== t("audit.hash"));
  const counts = records.reduce<Record<string, number>>(
    (all, record) => ({ ...all, [record.outcome]: (all[record.outcome] ?? 0) + 1 }),
    {},
  );
  const criteria = Object.entries(filter).filter(([, value]) => value);
  return (
    <section className="print-only audit-report">
      <h1>{t("audit.reportTitle")}</h1>
      <p>
        {t("audit.reportMade", { at: new Date().toLocaleString() })} ·{" "}
        {criteria.length
          ? criteria.map(([key, value]) => `${key}=${String(value)}`).join(", ")
          : t("audit.noFilter")}
      </p>
      <p>
        {t("audit.reportCounts", {
          total: records.length,
          ok: counts.ok ?? 0,
          denied: counts.denied ?? 0,
          error: counts.error ?? 0,
        })}
      </p>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header}>{column.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.seq}>
              {columns.map((column) => {
                const value = column.value(record);
                return (
                  <td key={column.header}>{Array.isArray(value) ? value.join(" ") : String(value ?? "")}</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
