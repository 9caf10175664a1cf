import "reflect-metadata";
import { buildFederatedSchema, type RegistryDefinition } from "@onecert/subgraph-kit";
import { createLoaders, type PopulationLoaders } from "./data";
import { migrations } from "./migrations";
import { PopulationMutations } from "./mutations";
import { resolvePersonReference } from "./person.reference";
import { HouseholdResolver, PersonResolver } from "./resolvers";
import { seedBlock } from "./seed";

/** The population registry (人口库), owned by public security. */
export const population: RegistryDefinition<PopulationLoaders> = {
  name: "population",
  department: "public-security",
  dbSchema: "population",
  tables: ["persons", "households"],
  migrations,
  defaultPort: 4001,
  buildSchema: () =>
    buildFederatedSchema({
      department: "public-security",
      resolvers: [PersonResolver, HouseholdResolver, PopulationMutations],
      references: { Person: resolvePersonReference },
    }),
  createLoaders,
  seedBlock,
};

export default population;
