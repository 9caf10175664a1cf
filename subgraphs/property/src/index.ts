import "reflect-metadata";
import { buildFederatedSchema, type RegistryDefinition } from "@onecert/subgraph-kit";
import { createLoaders, type PropertyLoaders } from "./data";
import { migrations } from "./migrations";
import { PropertyMutations } from "./mutations";
import { resolveRealEstateReference } from "./real-estate.reference";
import { EnterpriseResolver, PersonResolver, RealEstateResolver } from "./resolvers";
import { seedBlock } from "./seed";

/** The real-estate registry (不动产登记), owned by natural resources. */
export const property: RegistryDefinition<PropertyLoaders> = {
  name: "property",
  department: "natural-resources",
  dbSchema: "property",
  tables: ["seizures", "mortgages", "ownerships", "real_estate"],
  migrations,
  defaultPort: 4003,
  buildSchema: () =>
    buildFederatedSchema({
      department: "natural-resources",
      resolvers: [RealEstateResolver, PersonResolver, EnterpriseResolver, PropertyMutations],
      references: { RealEstate: resolveRealEstateReference },
    }),
  createLoaders,
  seedBlock,
};

export default property;
