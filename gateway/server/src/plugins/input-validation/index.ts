import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
} from "@apollo/server";
import { VALIDATED_SCALARS, type ValidatedScalar } from "@onecert/subgraph-kit";
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from "graphql";

export interface InputValidationOptions {
  /** Scalars whose values are checked. Default: every identifier and date scalar of the registries. */
  scalars?: readonly ValidatedScalar[];
}

type Problem = { where: string; message: string };

/**
 * Rejects malformed identifiers at the gateway, before any planning or subgraph call, with
 * BAD_USER_INPUT naming the argument or variable. The supergraph only knows scalar names; the
 * rules come from the registries' toolkit so both sides agree.
 */
export function inputValidationPlugin(options: InputValidationOptions = {}): ApolloServerPlugin {
  const scalars = new Map((options.scalars ?? VALIDATED_SCALARS).map((scalar) => [scalar.name, scalar]));

  const checkValue = (type: GraphQLInputType, value: unknown, where: string, out: Problem[]): void => {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) return checkValue(type.ofType, value, where, out);
    if (isListType(type)) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) => checkValue(type.ofType, item, `${where}[${index}]`, out));
      return;
    }
    if (isInputObjectType(type) && typeof value === "object") {
      for (const [name, field] of Object.entries(type.getFields())) {
        checkValue(field.type, (value as Record<string, unknown>)[name], `${where}.${name}`, out);
      }
      return;
    }
    const scalar = isScalarType(type) ? scalars.get(type.name) : undefined;
    if (!scalar) return;
    if (typeof value !== "string")
      return void out.push({ where, message: `expected ${scalar.noun} as a string` });
    const result = scalar.validate(value);
    if (!result.ok)
      out.push({ where, message: `${JSON.stringify(value)} is not ${scalar.noun}: ${result.reason}` });
  };

  const checkLiteral = (type: GraphQLInputType, node: ValueNode, where: string, out: Problem[]): void => {
    if (node.kind === Kind.VARIABLE || node.kind === Kind.NULL) return;
    if (isNonNullType(type)) return checkLiteral(type.ofType, node, where, out);
    if (isListType(type)) {
      if (node.kind !== Kind.LIST) return checkLiteral(type.ofType, node, where, out);
      node.values.forEach((item, index) => checkLiteral(type.ofType, item, `${where}[${index}]`, out));
      return;
    }
    if (isInputObjectType(type) && node.kind === Kind.OBJECT) {
      const fields = type.getFields();
      for (const field of node.fields) {
        const definition = fields[field.name.value];
        if (definition) checkLiteral(definition.type, field.value, `${where}.${field.name.value}`, out);
      }
      return;
    }
    const scalar = scalars.get(getNamedType(type).name);
    if (!scalar) return;
    if (node.kind !== Kind.STRING)
      return void out.push({ where, message: `expected ${scalar.noun} as a string` });
    const result = scalar.validate(node.value);
    if (!result.ok)
      out.push({ where, message: `${JSON.stringify(node.value)} is not ${scalar.noun}: ${result.reason}` });
  };

  const collect = (
    schema: GraphQLSchema,
    requestContext: GraphQLRequestContextDidResolveOperation<BaseContext>,
  ) => {
    const problems: Problem[] = [];
    const { document, operation, request } = requestContext;
    for (const definition of operation?.variableDefinitions ?? []) {
      const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
      const name = definition.variable.name.value;
      if (!type) continue;
      checkValue(type, request.variables?.[name], `variable $${name}`, problems);
      // Checked even when the variable is given: the default travels in every subgraph's copy of
      // the operation, and a registry refuses a malformed one there, after the request was planned.
      if (definition.defaultValue) {
        checkLiteral(type, definition.defaultValue, `default value of variable $${name}`, problems);
      }
    }
    if (!document) return problems;
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Argument(node) {
          const argument = typeInfo.getArgument();
          const field = typeInfo.getFieldDef();
          if (argument && field) {
            checkLiteral(
              argument.type,
              node.value,
              `argument "${node.name.value}" of "${field.name}"`,
              problems,
            );
          }
        },
      }),
    );
    return problems;
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const kind = requestContext.operation?.operation;
          // graphql-js 16 validates no operation type; the planner would fail with a 500 instead.
          if (kind && !requestContext.schema.getRootType(kind)) {
            throw new GraphQLError(`The schema has no ${kind} operations`, {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
          const problems = collect(requestContext.schema, requestContext);
          if (problems.length === 0) return;
          throw new GraphQLError(problems.map((p) => `${p.where}: ${p.message}`).join("; "), {
            extensions: {
              code: "BAD_USER_INPUT",
              problems: problems.map((p) => ({ at: p.where, reason: p.message })),
              http: { status: 400 },
            },
          });
        },
      };
    },
  };
}
