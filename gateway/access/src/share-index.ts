import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
} from "graphql";
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

const RESTRICTIVENESS: Readonly<Record<ShareLevel, number>> = {
  UNCONDITIONAL: 0,
  CONDITIONAL: 1,
  NOT_SHARED: 2,
};

/**
 * The rule of a field reached through an interface: every implementation's rule must allow it,
 * so the most restrictive level, every sensitivity, the departments owning all of them.
 */
function combine(shares: readonly FieldShare[]): FieldShare | undefined {
  const [first, ...rest] = shares;
  if (!first) return undefined;
  return rest.reduce<FieldShare>(
    (a, b) => ({
      level: RESTRICTIVENESS[b.level] > RESTRICTIVENESS[a.level] ? b.level : a.level,
      sensitivity: [...new Set([...a.sensitivity, ...b.sensitivity])],
      subgraphs: [...new Set([...a.subgraphs, ...b.subgraphs])],
      departments: new Set([...a.departments].filter((department) => b.departments.has(department))),
    }),
    first,
  );
}

type Composite = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

/**
 * Reads every field's @share rule out of a composed supergraph: the field's own, else its
 * type's, else `fallback`. Owners come from @join__field, else from @join__type. A field of an
 * interface (an @interfaceObject's included) is ruled by its own declaration and by the rule of
 * that field on every object type implementing the interface, whichever is most restrictive.
 */
export function buildShareIndex(
  supergraphSdl: string,
  departmentOf: (subgraph: string) => string | undefined,
  fallback: ShareLevel,
): ShareIndex {
  const document = parse(supergraphSdl);
  const subgraphOfGraph = new Map(supergraphMembers(document).map((member) => [member.graph, member.name]));
  const composites = document.definitions.filter(
    (d): d is Composite =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION,
  );
  const declared = new Map<string, FieldShare & { explicit: boolean }>();
  for (const type of composites) {
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
      declared.set(where, {
        level: own?.level ?? typeShare?.level ?? fallback,
        sensitivity: own?.sensitivity ?? typeShare?.sensitivity ?? [],
        subgraphs,
        departments,
        explicit: !!(own ?? typeShare),
      });
    }
  }
  const rules = new Map<string, FieldShare>();
  for (const [where, { explicit: _explicit, ...rule }] of declared) rules.set(where, rule);
  for (const type of composites) {
    if (type.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const implementations = composites.filter(
      (candidate) =>
        candidate !== type &&
        (candidate.interfaces ?? []).some((named) => named.name.value === type.name.value),
    );
    for (const field of type.fields ?? []) {
      const name = field.name.value;
      const own = declared.get(`${type.name.value}.${name}`);
      const implemented = implementations
        .map((implementation) => rules.get(`${implementation.name.value}.${name}`))
        .filter((rule): rule is FieldShare => rule !== undefined);
      // An interface field without a declaration of its own is ruled by its implementations alone.
      const shares = own?.explicit || implemented.length === 0 ? [own!, ...implemented] : implemented;
      const rule = combine(shares.filter((share) => share !== undefined));
      if (rule) rules.set(`${type.name.value}.${name}`, rule);
    }
  }
  return { field: (typeName, fieldName) => rules.get(`${typeName}.${fieldName}`) };
}
