import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from "graphql";
import { supergraphMembers, type Sensitivity, type ShareLevel } from "@onecert/subgraph-kit";

/** The sharing rule of one field, as its department declared it. */
export interface FieldShare {
  level: ShareLevel;
  sensitivity: readonly Sensitivity[];
  /** Subgraphs that resolve the field. */
  subgraphs: readonly string[];
  /**
   * The department owning the data: the one that declared the rule (@share's owner), else those
   * of the resolving subgraphs. NOT_SHARED data reaches only these, and they see it in clear.
   */
  departments: ReadonlySet<string>;
}

export interface ShareIndex {
  /** The rule of `Type.field`; undefined for types the supergraph does not have. */
  field(typeName: string, fieldName: string): FieldShare | undefined;
}

const LEVELS: readonly string[] = ["UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED"];
const SENSITIVITIES: readonly string[] = ["IDENTIFIER", "NAME", "CONTACT", "ADDRESS", "FINANCIAL"];

function argument(directive: ConstDirectiveNode, name: string): unknown {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.STRING || arg.value.kind === Kind.ENUM) return arg.value.value;
  if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  if (arg.value.kind === Kind.LIST) {
    return arg.value.values.map((v) =>
      v.kind === Kind.STRING || v.kind === Kind.ENUM ? v.value : undefined,
    );
  }
  return undefined;
}

function shareOf(directives: readonly ConstDirectiveNode[] | undefined, where: string) {
  const share = directives?.find((d) => d.name.value === "share");
  if (!share) return undefined;
  const level = argument(share, "level");
  const sensitivity = (argument(share, "sensitivity") as string[] | undefined) ?? [];
  if (typeof level !== "string" || !LEVELS.includes(level)) {
    throw new Error(`${where}: @share level must be one of ${LEVELS.join(", ")}`);
  }
  const unknown = sensitivity.filter((s) => !SENSITIVITIES.includes(s));
  if (unknown.length) throw new Error(`${where}: unknown @share sensitivity ${unknown.join(", ")}`);
  const owner = argument(share, "owner");
  return {
    level: level as ShareLevel,
    sensitivity: sensitivity as Sensitivity[],
    owner: typeof owner === "string" ? owner : undefined,
  };
}

const graphsOf = (directives: readonly ConstDirectiveNode[] | undefined, name: string) =>
  (directives ?? [])
    .filter((d) => d.name.value === name && argument(d, "external") !== true)
    .map((d) => argument(d, "graph"))
    .filter((graph): graph is string => typeof graph === "string");

/**
 * Reads every field's @share rule out of a composed supergraph: the field's own, else its
 * type's, else `fallback`. Owners come from @join__field, else from @join__type.
 */
export function buildShareIndex(
  supergraphSdl: string,
  departmentOf: (subgraph: string) => string | undefined,
  fallback: ShareLevel,
): ShareIndex {
  const document = parse(supergraphSdl);
  const subgraphOfGraph = new Map(supergraphMembers(document).map((member) => [member.graph, member.name]));
  const rules = new Map<string, FieldShare>();
  const objects = document.definitions.filter(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION,
  );
  for (const type of objects) {
    const typeName = type.name.value;
    const typeShare = shareOf(type.directives, typeName);
    const typeGraphs = graphsOf(type.directives, "join__type");
    for (const field of type.fields ?? []) {
      const where = `${typeName}.${field.name.value}`;
      const own = shareOf(field.directives, where);
      const fieldGraphs = graphsOf(field.directives, "join__field");
      const subgraphs = (fieldGraphs.length ? fieldGraphs : typeGraphs).map(
        (g) => subgraphOfGraph.get(g) ?? g,
      );
      const owner = own?.owner ?? typeShare?.owner;
      const departments = new Set(
        owner ? [owner] : subgraphs.map(departmentOf).filter((d): d is string => !!d),
      );
      rules.set(where, {
        level: own?.level ?? typeShare?.level ?? fallback,
        sensitivity: own?.sensitivity ?? typeShare?.sensitivity ?? [],
        subgraphs,
        departments,
      });
    }
  }
  return { field: (typeName, fieldName) => rules.get(`${typeName}.${fieldName}`) };
}
