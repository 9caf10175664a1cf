import { registerEnumType } from "type-graphql";

// The enum values are the registry's own codes, so rows map to GraphQL enums without translation.

export enum InsuranceType {
  EMPLOYEE_PENSION = "110",
  RESIDENT_PENSION = "170",
  UNEMPLOYMENT = "210",
  EMPLOYEE_MEDICAL = "310",
  WORK_INJURY = "410",
  MATERNITY = "510",
}
registerEnumType(InsuranceType, {
  name: "InsuranceType",
  description:
    "Insurance type (险种) and its code: 110 employee pension, 170 resident pension, 210 unemployment, " +
    "310 employee medical, 410 work injury, 510 maternity.",
  valuesConfig: {
    EMPLOYEE_PENSION: { description: "110: basic pension insurance for employees (职工基本养老保险)." },
    RESIDENT_PENSION: {
      description: "170: basic pension insurance for urban and rural residents (城乡居民养老保险).",
    },
    UNEMPLOYMENT: { description: "210: unemployment insurance (失业保险)." },
    EMPLOYEE_MEDICAL: { description: "310: basic medical insurance for employees (职工基本医疗保险)." },
    WORK_INJURY: { description: "410: work-injury insurance (工伤保险)." },
    MATERNITY: { description: "510: maternity insurance (生育保险)." },
  },
});

export enum EnrolmentStatus {
  PAYING = "1",
  SUSPENDED = "2",
  TERMINATED = "3",
}
registerEnumType(EnrolmentStatus, {
  name: "EnrolmentStatus",
  description:
    "Contribution status of an enrolment (参保缴费状态) and its code: 1 paying, 2 suspended, 3 terminated.",
});

export enum PaymentStatus {
  PAID = "PAID",
  ARREARS = "ARREARS",
  BACK_PAID = "BACK_PAID",
}
registerEnumType(PaymentStatus, {
  name: "PaymentStatus",
  description: "Payment of one monthly record: paid on time, in arrears (欠缴), or paid late (补缴).",
});

export enum PensionStatus {
  RECEIVING = "RECEIVING",
  SUSPENDED = "SUSPENDED",
  STOPPED = "STOPPED",
}
registerEnumType(PensionStatus, {
  name: "PensionStatus",
  description: "Pension payment status of a retiree.",
});

/** Payment statuses that count as contributed for a month; arrears do not. */
export const COUNTED_PAYMENTS: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.PAID,
  PaymentStatus.BACK_PAID,
]);
