import {
  Kind,
  print,
  type ArgumentNode,
  type DocumentNode,
  type SelectionSetNode,
  type TypeNode,
  type VariableDefinitionNode,
} from "graphql";
import {
  leaf,
  name,
  named,
  renameVariables,
  selectionSet,
  signatureOf,
  variableDefinition,
  type MergedField,
} from "./ast";
import { SUBJECT_ROOTS, type CheckItem, type SubjectKind } from "./model";
import { locate, project, type Mapping } from "./project";

export type { CheckItem } from "./model";

/** Where an item's data sits in the merged response, and the data its own operation would have read. */
export interface ProjectedItem {
  /** The subject object as the certificate's own operation selects it; null when missing. */
  subject: Record<string, unknown> | null;
  /** Response path of the subject object, e.g. ["persons", 1]; null when it was not returned. */
  path: (string | number)[] | null;
  /** Response keys directly under the subject that belong to this item. */
  keys: ReadonlySet<string>;
  /** The root field the item's subject was read through. */
  root: string;
}

export interface MergedCheck {
  document: DocumentNode;
  query: string;
  variables: Record<string, unknown>;
  /** Reads item `index`'s view out of the merged response data. */
  project(data: Record<string, unknown> | null | undefined, index: number): ProjectedItem;
}

/**
 * Merges the operations of every item into ONE operation: one root field per subject kind (the
 * plural root when a kind has several subjects, so each registry sees one `_entities` call for
 * all of them), identical fields shared, conflicting ones aliased, parameter variables renamed
 * and shared by value. Each item reads back exactly the shape its own operation would return.
 */
export function mergeChecks(items: readonly CheckItem[]): MergedCheck {
  const subjects = new Map<SubjectKind, string[]>();
  for (const item of items) {
    const keys = subjects.get(item.subjectKind) ?? [];
    if (!keys.includes(item.subjectKey)) keys.push(item.subjectKey);
    subjects.set(item.subjectKind, keys);
  }
  const definitions: VariableDefinitionNode[] = [];
  const variables: Record<string, unknown> = {};
  const roots = new Map<SubjectKind, MergedField>();
  for (const [kind, keys] of subjects) {
    const root = SUBJECT_ROOTS[kind];
    const plural = keys.length > 1;
    const variable = plural ? `${kind}s` : kind;
    variables[variable] = plural ? keys : keys[0];
    const scalar: TypeNode = { kind: Kind.NON_NULL_TYPE, type: named(root.scalar) };
    definitions.push(
      variableDefinition(
        variable,
        plural ? { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.LIST_TYPE, type: scalar } } : scalar,
      ),
    );
    const field = plural ? root.pluralField : root.field;
    const argument: ArgumentNode = {
      kind: Kind.ARGUMENT,
      name: name(plural ? root.pluralArg : root.arg),
      value: { kind: Kind.VARIABLE, name: name(variable) },
    };
    const children = new Map<string, MergedField>();
    // A plural result is matched back to its subjects by key, so the key comes first, unaliased.
    if (plural) children.set(root.key, leaf(root.key));
    roots.set(kind, { key: field, name: field, arguments: [argument], signature: field, children });
  }

  const parameterVariables = new Map<string, string>();
  const mappings = items.map((item) => {
    const renamed = new Map<string, string>();
    for (const variable of item.certificate.variables) {
      const value = item.parameters[variable.name] ?? null;
      const identity = `${print(variable.type)}:${JSON.stringify(value)}`;
      let merged = parameterVariables.get(identity);
      if (!merged) {
        merged = `p${parameterVariables.size}`;
        parameterVariables.set(identity, merged);
        definitions.push(variableDefinition(merged, variable.type));
        variables[merged] = value;
      }
      renamed.set(variable.name, merged);
    }
    const root = roots.get(item.subjectKind)!;
    return mergeSelection(root.children!, item.certificate.selection, renamed, variables);
  });

  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: "query" as never,
        name: name("CertificateCheck"),
        variableDefinitions: definitions,
        selectionSet: selectionSet([...roots.values()]),
      },
    ],
  };
  return {
    document,
    query: print(document),
    variables,
    project(data, index) {
      const item = items[index];
      const mapping = mappings[index];
      const keys = new Set([...mapping.values()].map((entry) => entry.key));
      const root = roots.get(item.subjectKind)!;
      const located = locate(data?.[root.key], item, subjects.get(item.subjectKind)!);
      if (!located) return { subject: null, path: null, keys, root: root.key };
      const path = located.index === null ? [root.key] : [root.key, located.index];
      const subject = project(located.value, mapping) as Record<string, unknown>;
      return { subject, path, keys, root: root.key };
    },
  };
}

function mergeSelection(
  target: Map<string, MergedField>,
  selection: SelectionSetNode,
  renamed: ReadonlyMap<string, string>,
  values: Readonly<Record<string, unknown>>,
): Mapping {
  const mapping: Mapping = new Map();
  for (const selected of selection.selections) {
    if (selected.kind !== Kind.FIELD) continue; // the catalogue refuses fragments
    const responseKey = selected.alias?.value ?? selected.name.value;
    const args = (selected.arguments ?? []).map((argument) => renameVariables(argument, renamed));
    const signature = signatureOf(selected.name.value, args, values);
    let node = target.get(responseKey);
    if (!node || node.signature !== signature) {
      node = [...target.values()].find((candidate) => candidate.signature === signature);
    }
    if (!node) {
      let key = responseKey;
      for (let n = 2; target.has(key); n++) key = `${responseKey}_${n}`;
      node = {
        key,
        name: selected.name.value,
        arguments: args,
        signature,
        children: selected.selectionSet ? new Map() : null,
      };
      target.set(key, node);
    }
    const children =
      selected.selectionSet && node.children
        ? mergeSelection(node.children, selected.selectionSet, renamed, values)
        : null;
    mapping.set(responseKey, { key: node.key, children });
  }
  return mapping;
}
