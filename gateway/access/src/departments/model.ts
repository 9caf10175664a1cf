/** A department as the directory keeps it: the one record every client, subgraph and matter names. */
export interface DepartmentRecord {
  /** The stable identifier clients, subgraphs and matters carry, e.g. "public-security". */
  code: string;
  nameZh: string;
  nameEn: string;
  /**
   * The agency's 18-character unified social credit code; null for a department seeded from the
   * shipped configuration, which cannot know the code of the deployment's own agency.
   */
  creditCode: string | null;
  /** Who to ask about the department's data; free text. */
  contact: string | null;
  createdAt: Date;
  /** The client id that added it, or "system" for a seeded department. */
  createdBy: string;
}

export interface NewDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  creditCode: string;
  /** Default null. */
  contact?: string | null;
  /** The client id adding it. */
  createdBy: string;
}

/** A change of a department's record: the fields given replace the stored ones; the code never changes. */
export type DepartmentChange = Partial<Pick<NewDepartment, "nameZh" | "nameEn" | "creditCode" | "contact">>;

/** A department seeded at start: no credit code, added by "system". */
export type SeedDepartment = Pick<DepartmentRecord, "code" | "nameZh" | "nameEn">;
