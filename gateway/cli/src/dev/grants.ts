import type { DevGrantSpec } from "./credentials";

/**
 * What the demo window may read in development: the CONDITIONAL data of the demo matters, with
 * sensitive values masked (no clear-value grant), so the examples show both rules at work.
 */
export const DEV_GRANTS: DevGrantSpec[] = [
  {
    clientName: "demo-window",
    fields: [
      "Person.realEstate",
      "RealEstate.*",
      "Ownership.*",
      "Mortgage.*",
      "Seizure.*",
      "Person.socialInsurance",
      "SocialInsurance.*",
      "Enrolment.*",
      "Contribution.*",
      "Retirement.*",
      "Person.maritalStatus",
      "Person.spouse",
      "Enterprise.realEstate",
    ],
    matters: [
      "subsistence-allowance-review",
      "public-rental-housing",
      "home-purchase-qualification",
      "newborn",
      "retirement",
      "property-transaction",
      "enterprise-qualification",
    ],
    clearValues: false,
    reason: "development demo",
  },
];
