/**
 * Records of the synthetic world. One generator produces them; each registry's seeder inserts
 * only its own part, so the registries agree on identifiers without reading each other's tables.
 * Dates are ISO strings (YYYY-MM-DD), periods are YYYYMM, money is in yuan with two decimals.
 */

export type Sex = "M" | "F";
export type PersonStatus = "ACTIVE" | "DECEASED" | "EMIGRATED";
export type MaritalStatus = "SINGLE" | "MARRIED" | "DIVORCED" | "WIDOWED";
export type HouseholdRelation = "HEAD" | "SPOUSE" | "CHILD" | "PARENT" | "GRANDCHILD" | "OTHER";

export interface PersonRecord {
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  status: PersonStatus;
  /** Set when status is DECEASED. */
  deceasedOn: string | null;
  maritalStatus: MaritalStatus;
  /** Id number of the spouse when married (both directions are present). */
  spouseIdNumber: string | null;
  regionCode: string;
  address: string;
  phone: string;
  householdNumber: string;
  relation: HouseholdRelation;
}

export interface HouseholdRecord {
  number: string;
  regionCode: string;
  address: string;
  headIdNumber: string;
}

export type EnterpriseKind = "LIMITED_LIABILITY" | "JOINT_STOCK" | "SOLE_PROPRIETORSHIP" | "PARTNERSHIP";
export type EnterpriseStatus = "ACTIVE" | "REVOKED" | "CANCELLED";
export type PartyKind = "PERSON" | "ENTERPRISE";

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  kind: EnterpriseKind;
  status: EnterpriseStatus;
  /** In ten-thousand yuan (万元), as registered. */
  registeredCapital: number;
  establishedOn: string;
  regionCode: string;
  address: string;
  businessScope: string;
  legalRepresentativeIdNumber: string;
}

export interface ShareholdingRecord {
  uscc: string;
  holderKind: PartyKind;
  /** An id number (PERSON) or a USCC (ENTERPRISE). */
  holderId: string;
  /** Percentage, 0 < share <= 100; the holdings of one enterprise sum to 100. */
  share: number;
}

export type RealEstateUse = "RESIDENTIAL" | "COMMERCIAL" | "OFFICE" | "INDUSTRIAL";

export interface RealEstateRecord {
  unitNumber: string;
  certificateNumber: string;
  regionCode: string;
  address: string;
  use: RealEstateUse;
  /** Square metres. */
  area: number;
  registeredOn: string;
}

export interface OwnershipRecord {
  unitNumber: string;
  ownerKind: PartyKind;
  ownerId: string;
  /** Percentage; the owners of one unit sum to 100. */
  share: number;
}

export interface MortgageRecord {
  unitNumber: string;
  mortgagee: string;
  /** Yuan. */
  amount: number;
  registeredOn: string;
  releasedOn: string | null;
}

export interface SeizureRecord {
  unitNumber: string;
  authority: string;
  caseNumber: string;
  seizedOn: string;
  liftedOn: string | null;
}

/** 110 employee pension, 170 resident pension, 210 unemployment, 310 employee medical, 410 work injury, 510 maternity. */
export type InsuranceType = "110" | "170" | "210" | "310" | "410" | "510";
/** 1 paying, 2 suspended, 3 terminated. */
export type EnrolmentStatus = "1" | "2" | "3";
export type PaymentStatus = "PAID" | "ARREARS" | "BACK_PAID";

export interface EnrolmentRecord {
  idNumber: string;
  insuranceType: InsuranceType;
  status: EnrolmentStatus;
  employerUscc: string | null;
  enrolledOn: string;
}

export interface ContributionRecord {
  idNumber: string;
  /** YYYYMM */
  period: string;
  insuranceType: InsuranceType;
  base: number;
  employerAmount: number;
  personalAmount: number;
  employerUscc: string | null;
  paymentStatus: PaymentStatus;
}

export type PensionStatus = "RECEIVING" | "SUSPENDED" | "STOPPED";

export interface PensionRecord {
  idNumber: string;
  retiredOn: string;
  monthlyAmount: number;
  status: PensionStatus;
}

/** One block of the world: about `blockSize` persons and everything that hangs off them. */
export interface WorldBlock {
  index: number;
  persons: PersonRecord[];
  households: HouseholdRecord[];
  enterprises: EnterpriseRecord[];
  shareholdings: ShareholdingRecord[];
  realEstate: RealEstateRecord[];
  ownerships: OwnershipRecord[];
  mortgages: MortgageRecord[];
  seizures: SeizureRecord[];
  enrolments: EnrolmentRecord[];
  contributions: ContributionRecord[];
  pensions: PensionRecord[];
}

export interface WorldOptions {
  /** PRNG seed; the same seed, persons and asOf give the same world. Default 1. */
  seed?: number;
  /** Number of persons. Default 10,000. */
  persons?: number;
  /** Last contribution period of the data, YYYYMM. Default: the month before the current one. */
  asOf?: string;
}

/** A demo subject for one case, e.g. "person-two-homes". */
export interface Sample {
  case: string;
  description: string;
  kind: "person" | "enterprise" | "realEstate" | "household";
  id: string;
}
