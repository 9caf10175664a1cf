import { legalEntity } from "@onecert/legal-entity";
import { population } from "@onecert/population";
import { property } from "@onecert/property";
import { socialInsurance } from "@onecert/social-insurance";
import type { RegistryDefinition } from "@onecert/subgraph-kit";
import { certificatesSubgraph, type ServiceSubgraph } from "./certificates/schema";

/** The four departmental registries, in the order they are started and seeded. */
export const REGISTRIES: readonly RegistryDefinition[] = [
  population as RegistryDefinition,
  legalEntity as RegistryDefinition,
  property as RegistryDefinition,
  socialInsurance as RegistryDefinition,
];

/** Subgraphs the gateway side runs itself: composed like the registries, never seeded, no registry data. */
export const SERVICE_SUBGRAPHS: readonly ServiceSubgraph[] = [certificatesSubgraph];

export function registryByName(name: string): RegistryDefinition | undefined {
  return REGISTRIES.find((registry) => registry.name === name);
}

/** The URL a registry listens on when nothing else is configured. */
export function defaultUrl(registry: Pick<RegistryDefinition, "defaultPort">): string {
  return `http://127.0.0.1:${registry.defaultPort}/graphql`;
}
