import jsonata from "jsonata";

/** A parsed JSONata expression: data in, a value out; nothing is evaluated as JavaScript. */
export interface CompiledExpression {
  source: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

/** A JSONata syntax error, with the position JSONata reports. */
export class ExpressionError extends Error {}

/** Limits per evaluation: a rule that loops or recurses deeply fails instead of stalling a check. */
const LIMITS = { timeout: 250, stack: 200 };

/** Parses a JSONata expression; throws ExpressionError naming the position of a syntax error. */
export function compileExpression(source: string): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, LIMITS);
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    throw new ExpressionError(
      `${message ?? String(error)}${position !== undefined ? ` (at ${position})` : ""}`,
    );
  }
  return {
    source,
    async evaluate(input, bindings) {
      const value: unknown = await expression.evaluate(input, bindings);
      return normalise(value);
    },
  };
}

/** JSONata returns sequences as arrays with extra flags; plain JSON keeps digests stable. */
function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "function") return null;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalise(inner)]));
  }
  return value;
}
