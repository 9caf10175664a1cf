import "reflect-metadata";
import { buildFederatedSchema, type RegistryDefinition } from "@onecert/subgraph-kit";
import { createLoaders, type LegalEntityLoaders } from "./data";
import { resolveEnterpriseReference } from "./enterprise.reference";
import { RegistrationChangeResolver } from "./registration-change.resolver";
import { migrations } from "./migrations";
import { LegalEntityMutations } from "./mutations";
import { EnterpriseResolver, PersonResolver, ShareholdingResolver } from "./resolvers";
import { seedBlock } from "./seed";

/** The legal-entity registry (法人库), owned by market regulation. */
export const legalEntity: RegistryDefinition<LegalEntityLoaders> = {
  name: "legal-entity",
  department: "market-regulation",
  dbSchema: "legal_entity",
  tables: ["shareholdings", "enterprises"],
  migrations,
  defaultPort: 4002,
  buildSchema: () =>
    buildFederatedSchema({
      department: "market-regulation",
      resolvers: [
        EnterpriseResolver,
        ShareholdingResolver,
        PersonResolver,
        RegistrationChangeResolver,
        LegalEntityMutations,
      ],
      references: { Enterprise: resolveEnterpriseReference },
    }),
  createLoaders,
  seedBlock,
};

export default legalEntity;
