import type { SelectionSetNode, TypeNode } from "graphql";
import type { CompiledExpression } from "./expressions";
import type { CertificateReasons } from "./reasons";

/** Who a certificate is about: a person (ID number) or an enterprise (USCC). */
export type SubjectKind = "person" | "enterprise";

/** How a subject of each kind is read from the supergraph, alone or several at once. */
export interface SubjectRoot {
  /** Root field for one subject, e.g. person(idNumber:). */
  field: string;
  arg: string;
  /** Root field for several subjects, e.g. persons(idNumbers:); one fetch per registry for all. */
  pluralField: string;
  pluralArg: string;
  /** The key field on the subject type, to match a plural result to its subject. */
  key: string;
  scalar: string;
  typeName: string;
}

export const SUBJECT_ROOTS: Readonly<Record<SubjectKind, SubjectRoot>> = {
  person: {
    field: "person",
    arg: "idNumber",
    pluralField: "persons",
    pluralArg: "idNumbers",
    key: "idNumber",
    scalar: "IdNumber",
    typeName: "Person",
  },
  enterprise: {
    field: "enterprise",
    arg: "uscc",
    pluralField: "enterprises",
    pluralArg: "usccs",
    key: "uscc",
    scalar: "USCC",
    typeName: "Enterprise",
  },
};

export const SUBJECT_KINDS = Object.keys(SUBJECT_ROOTS) as SubjectKind[];

export interface LocalizedName {
  zh: string;
  en: string;
}

/** A variable of a certificate operation that a parameter fills. */
export interface OperationVariable {
  name: string;
  type: TypeNode;
}

/** One certificate type (证明类型) of schema/certificates/, checked against the supergraph. */
export interface CertificateType {
  id: string;
  name: LocalizedName;
  description: string;
  subject: SubjectKind;
  /** The department that traditionally issues the paper proof. */
  department: string;
  /** Parameter defaults; a matter or a check may override them. */
  parameters: Readonly<Record<string, unknown>>;
  /** The operation text as written in the file. */
  operation: string;
  /** The selection under the subject's root field: what a merged check reads for it. */
  selection: SelectionSetNode;
  /** Operation variables other than $subject, each filled from the parameter of the same name. */
  variables: readonly OperationVariable[];
  /** Response paths without which no verdict is possible (null there: UNDETERMINED). */
  required: readonly string[][];
  rule: CompiledExpression;
  /** Per outcome, the cases giving a verdict's reason code, parameters and texts. */
  reasons: CertificateReasons;
  evidence: readonly [name: string, expression: CompiledExpression][];
  /** How long a verdict (and a proof issued from it) stays valid. */
  validity: string;
  validityMs: number;
  /** Subgraphs the operation reads, in the order first read. */
  registries: readonly string[];
  /** "Type.field" entries the operation reads (what a matter must declare). */
  reads: readonly string[];
  file: string;
  /** The file's text as read: what `onecert catalogue export` writes back, byte for byte. */
  source?: string;
}

/** A role of a matter's subjects, e.g. the applicant, or the father and mother of a newborn. */
export interface MatterRole {
  role: string;
  kind: SubjectKind;
  name: LocalizedName;
}

/** One certificate a matter needs, for some of its roles, with the matter's parameters. */
export interface MatterCertificate {
  type: string;
  roles: readonly string[];
  parameters: Readonly<Record<string, unknown>>;
  /** Whether the applicant may commit (告知承诺) when shared data cannot decide. */
  commitmentAllowed: boolean;
}

/** The certificate side of a matter file. */
export interface MatterPlan {
  code: string;
  name: LocalizedName;
  department: string;
  roles: readonly MatterRole[];
  certificates: readonly MatterCertificate[];
  file: string;
  /** The file's text as read: what `onecert catalogue export` writes back, byte for byte. */
  source?: string;
}

/** The validated catalogue a certificates service works from. */
export interface CertificateCatalogue {
  certificates: ReadonlyMap<string, CertificateType>;
  matters: ReadonlyMap<string, MatterPlan>;
  /** Whether a matter's `fields` let it read `Type.field`. */
  allows(matter: string, field: string): boolean;
  /** The longest validity of any certificate type, in milliseconds. */
  maxValidityMs: number;
}

/** One certificate to check for one subject, with its parameters already resolved. */
export interface CheckItem {
  certificate: CertificateType;
  subjectKind: SubjectKind;
  subjectKey: string;
  parameters: Readonly<Record<string, unknown>>;
}
