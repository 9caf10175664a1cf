import "reflect-metadata";
import { buildFederatedSchema, type RegistryDefinition } from "@onecert/subgraph-kit";
import { createLoaders, type SocialInsuranceLoaders } from "./data";
import { resolveEnterpriseReference } from "./enterprise.reference";
import { Enterprise } from "./enterprise";
import { migrations } from "./migrations";
import { SocialInsuranceMutations } from "./mutations";
import { Person } from "./person";
import { resolvePersonReference } from "./person.reference";
import {
  ContributionResolver,
  EnrolmentResolver,
  EnterpriseResolver,
  PersonResolver,
  SocialInsuranceResolver,
} from "./resolvers";
import { seedBlock } from "./seed";

/** The social-insurance registry (社保), owned by human resources and social security. */
export const socialInsurance: RegistryDefinition<SocialInsuranceLoaders> = {
  name: "social-insurance",
  department: "human-resources-social-security",
  dbSchema: "social_insurance",
  tables: ["contributions", "enrolments", "pensions"],
  migrations,
  defaultPort: 4004,
  buildSchema: () =>
    buildFederatedSchema({
      department: "human-resources-social-security",
      resolvers: [
        PersonResolver,
        SocialInsuranceResolver,
        EnrolmentResolver,
        ContributionResolver,
        EnterpriseResolver,
        SocialInsuranceMutations,
      ],
      // No root query: both entities are reached only through _entities, and type-graphql emits
      // only types reachable from a query unless they are named here.
      orphanedTypes: [Person, Enterprise],
      references: {
        Person: resolvePersonReference,
        Enterprise: resolveEnterpriseReference,
      },
    }),
  createLoaders,
  seedBlock,
};

export default socialInsurance;
