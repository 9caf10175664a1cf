import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from "graphql";

/** A subgraph a composed supergraph names: its enum value in join__Graph, its name and URL. */
export interface SupergraphMember {
  /** The join__Graph enum value, e.g. LEGAL_ENTITY. */
  graph: string;
  name: string;
  url: string;
}

const text = (directive: ConstDirectiveNode, name: string): string | undefined => {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
};

/** The subgraphs of a composed supergraph (its join__Graph enum), in the order it lists them. */
export function supergraphMembers(supergraph: string | DocumentNode): SupergraphMember[] {
  const document = typeof supergraph === "string" ? parse(supergraph) : supergraph;
  const found: SupergraphMember[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== "join__Graph") continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === "join__graph");
      const name = directive && text(directive, "name");
      if (name)
        found.push({ graph: value.name.value, name, url: (directive && text(directive, "url")) ?? "" });
    }
  }
  return found;
}
