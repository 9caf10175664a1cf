import "reflect-metadata";
import { buildFederatedSchema, type SubgraphDefinition } from "@onecert/subgraph-kit";
import { VerdictReasonResolver } from "./api/reasons";
import { CatalogueResolver, CheckResolver, CommitmentResolver } from "./api/resolvers";

/** The certificates subgraph: the catalogue, checks, proofs and commitments. It holds no registry data. */
export const certificatesSubgraph: SubgraphDefinition = {
  name: "certificates",
  department: "data-administration-bureau",
  defaultPort: 4005,
  buildSchema: () =>
    buildFederatedSchema({
      department: "data-administration-bureau",
      resolvers: [CatalogueResolver, CheckResolver, CommitmentResolver, VerdictReasonResolver],
    }),
};
