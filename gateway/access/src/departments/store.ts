import { Refusal } from "@onecert/subgraph-kit";
import type { Db } from "@onecert/subgraph-kit";
import type { Matter } from "../matters";
import type { DepartmentChange, DepartmentRecord, NewDepartment, SeedDepartment } from "./model";
import { checkDepartmentChange, checkNewDepartment } from "./rules";
import { unknownDepartment, unknownDepartmentMessage } from "./suggest";

export interface DepartmentStoreOptions {
  /** The clock; default the system clock. */
  now?: () => Date;
}

export interface DepartmentStore {
  /** Every department, by code. */
  list(): Promise<DepartmentRecord[]>;
  /** One department; null when unknown. */
  get(code: string): Promise<DepartmentRecord | null>;
  /** Adds a department; DEPARTMENT_EXISTS when its code or credit code is taken. */
  add(input: NewDepartment): Promise<DepartmentRecord>;
  /**
   * Changes a department's names, credit code or contact (a seeded one gets its credit code so);
   * NOT_FOUND when unknown, DEPARTMENT_EXISTS when the credit code is another's.
   */
  update(code: string, change: DepartmentChange): Promise<DepartmentRecord>;
  /** Adds those of `departments` not there yet (by code) and returns their codes: idempotent. */
  seed(departments: readonly SeedDepartment[]): Promise<string[]>;
  /** Refuses with UNKNOWN_DEPARTMENT (suggesting a close code) unless `code` is in the directory. */
  require(code: string): Promise<void>;
  /** Each matter's department and admitted departments missing from the directory, naming the file. */
  matterProblems(matters: readonly Matter[]): Promise<string[]>;
}

const COLUMNS = `d.code, d.name_zh AS "nameZh", d.name_en AS "nameEn", d.credit_code AS "creditCode",
  d.contact, d.created_at AS "createdAt", d.created_by AS "createdBy"`;

/** The departments directory in the `departments` schema (migrate with `departmentMigrations` first). */
export function createDepartmentStore(db: Db, options: DepartmentStoreOptions = {}): DepartmentStore {
  const now = options.now ?? (() => new Date());
  const find = async (code: string) =>
    (
      await db.query<DepartmentRecord>(`SELECT ${COLUMNS} FROM departments.departments d WHERE d.code = $1`, [
        code,
      ])
    )[0] ?? null;
  const codes = async () =>
    (await db.query<{ code: string }>(`SELECT code FROM departments.departments ORDER BY code`)).map(
      (row) => row.code,
    );

  return {
    list: () =>
      db.query<DepartmentRecord>(`SELECT ${COLUMNS} FROM departments.departments d ORDER BY d.code`),

    get: find,

    async add(input) {
      checkNewDepartment(input);
      const [row] = await db.query<DepartmentRecord>(
        `INSERT INTO departments.departments AS d (code, name_zh, name_en, credit_code, contact, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [
          input.code,
          input.nameZh,
          input.nameEn,
          input.creditCode,
          input.contact ?? null,
          now(),
          input.createdBy,
        ],
      );
      if (row) return row;
      if (await find(input.code))
        throw new Refusal("DEPARTMENT_EXISTS", `department ${input.code} already exists`, {
          code: input.code,
        });
      const [holder] = await db.query<{ code: string }>(
        `SELECT code FROM departments.departments WHERE credit_code = $1`,
        [input.creditCode],
      );
      throw new Refusal(
        "DEPARTMENT_EXISTS",
        `credit code ${input.creditCode} is already department ${holder?.code ?? "(unknown)"}'s`,
        { code: holder?.code ?? null },
      );
    },

    async update(code, change) {
      const current = await find(code);
      if (!current) throw new Refusal("NOT_FOUND", `department ${code} not found`);
      // A seeded record has no credit code yet: the change must bring one, as a new record would.
      const creditCode = change.creditCode ?? current.creditCode ?? "";
      checkDepartmentChange(code, change, { ...current, creditCode, createdBy: current.createdBy });
      if (change.creditCode !== undefined) {
        const [holder] = await db.query<{ code: string }>(
          `SELECT code FROM departments.departments WHERE credit_code = $1 AND code <> $2`,
          [change.creditCode, code],
        );
        if (holder)
          throw new Refusal(
            "DEPARTMENT_EXISTS",
            `credit code ${change.creditCode} is already department ${holder.code}'s`,
            { code: holder.code },
          );
      }
      const taken = () =>
        new Refusal("DEPARTMENT_EXISTS", `credit code ${change.creditCode} is already another department's`);
      const [row] = await db
        .query<DepartmentRecord>(
          `UPDATE departments.departments AS d SET name_zh = coalesce($2, name_zh), name_en = coalesce($3, name_en),
           credit_code = coalesce($4, credit_code), contact = CASE WHEN $6 THEN $5 ELSE contact END
         WHERE code = $1 RETURNING ${COLUMNS}`,
          [
            code,
            change.nameZh ?? null,
            change.nameEn ?? null,
            change.creditCode ?? null,
            change.contact ?? null,
            change.contact !== undefined,
          ],
        )
        .catch((error: unknown) => {
          // Another change took the credit code between the check and this statement.
          throw (error as { code?: string }).code === "23505" ? taken() : error;
        });
      return row;
    },

    async seed(departments) {
      const added: string[] = [];
      for (const department of departments) {
        // One statement each: replicas starting together on one database both succeed.
        const rows = await db.query<{ code: string }>(
          `INSERT INTO departments.departments (code, name_zh, name_en, created_at, created_by)
           VALUES ($1, $2, $3, $4, 'system') ON CONFLICT (code) DO NOTHING RETURNING code`,
          [department.code, department.nameZh, department.nameEn, now()],
        );
        added.push(...rows.map((row) => row.code));
      }
      return added;
    },

    async require(code) {
      if (await find(code)) return;
      throw unknownDepartment(code, await codes());
    },

    async matterProblems(matters) {
      const known = await codes();
      const have = new Set(known);
      const problems: string[] = [];
      for (const matter of matters) {
        const named = [matter.department, ...matter.admits.departments.filter((code) => code !== "*")];
        for (const code of new Set(named)) {
          if (have.has(code)) continue;
          const role = code === matter.department ? "department" : "admits.departments";
          problems.push(`${matter.file}: ${role}: ${unknownDepartmentMessage(code, known)}`);
        }
      }
      return problems;
    },
  };
}
