import "reflect-metadata";
import { buildFederatedSchema, type FederatedSchema } from "@onecert/subgraph-kit";
import { CatalogueResolver, CheckResolver, CommitmentResolver } from "./api/resolvers";

/** A subgraph the gateway side runs itself: composed like a registry, but holding no registry data. */
export interface ServiceSubgraph {
  name: string;
  department: string;
  /** Port when run alone and nothing else is configured. */
  defaultPort: number;
  buildSchema(): Promise<FederatedSchema>;
}

/** The certificates subgraph: the catalogue, checks, proofs and commitments. */
export const certificatesSubgraph: ServiceSubgraph = {
  name: "certificates",
  department: "data-administration-bureau",
  defaultPort: 4005,
  buildSchema: () =>
    buildFederatedSchema({ resolvers: [CatalogueResolver, CheckResolver, CommitmentResolver] }),
};
