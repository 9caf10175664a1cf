import { certificatesSubgraph } from "@onecert/certificates";
import { legalEntity } from "@onecert/legal-entity";
import { population } from "@onecert/population";
import { property } from "@onecert/property";
import { socialInsurance } from "@onecert/social-insurance";
import type { RegistryDefinition, SubgraphDefinition } from "@onecert/subgraph-kit";
import type { WorldBlock } from "@onecert/synthetic-world";

/** The four departmental registries, in the order they are started and seeded. */
export const REGISTRIES: readonly RegistryDefinition<unknown, WorldBlock>[] = [
  population,
  legalEntity,
  property,
  socialInsurance,
];

/** Subgraphs that hold no registry data (the certificates service): composed like the registries, never seeded. */
export const SERVICE_SUBGRAPHS: readonly SubgraphDefinition[] = [certificatesSubgraph];

/** Every subgraph this repository defines. */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [...REGISTRIES, ...SERVICE_SUBGRAPHS];

export function registryByName(name: string): RegistryDefinition<unknown, WorldBlock> | undefined {
  return REGISTRIES.find((registry) => registry.name === name);
}

/** The URL a subgraph listens on when nothing else is configured. */
export function defaultUrl(subgraph: Pick<SubgraphDefinition, "defaultPort">): string {
  return `http://127.0.0.1:${subgraph.defaultPort}/graphql`;
}
