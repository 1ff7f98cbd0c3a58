import { PipelineError, Where } from "../pipelineError";
import { propertyOf, scalar } from "../yamlNodes";
import { Argument, builtInFunctions, ExpressionFunction } from "./expressionFunctions";
import { ExpressionAst, ExpressionError, parseExpression } from "./expressionSyntax";
import { ExpressionValue, nullValue, parseVersion, toNumber, toText } from "./expressionValues";

/** What an expression can see where it is evaluated. */
export interface ExpressionContext {
  /** Where the expression is written: errors point here, and values it makes are placed here. */
  at: Where;
  /** The named values (`parameters`, `variables`, `dependencies`, a loop variable…), matched ignoring case. */
  named: ReadonlyMap<string, ExpressionValue>;
  /** Functions only some places allow: status functions in conditions, `counter` in variables. */
  functions?: Record<string, ExpressionFunction>;
  /** Functions refused here, with the reason (status functions outside conditions…). */
  refused?: Record<string, string>;
}

function member(target: ExpressionValue, key: ExpressionValue, at: Where): ExpressionValue {
  if (target.kind === "filtered") {
    const picked = target.items.map((item) => member(item, key, at)).filter((item) => !(item.kind === "scalar" && item.value === null));
    return { kind: "filtered", items: picked, at };
  }
  if (target.kind === "mapping") {
    const name = toText(key);
    return (name === undefined ? undefined : propertyOf(target, name)) ?? nullValue(at);
  }
  if (target.kind === "sequence") {
    const index = toNumber(key);
    return Number.isInteger(index) && index >= 0 && index < target.items.length ? target.items[index] : nullValue(at);
  }
  // Properties of a string, a number or null: a dictionary miss, which is null.
  return nullValue(at);
}

function wildcard(target: ExpressionValue, at: Where): ExpressionValue {
  if (target.kind === "sequence") return { kind: "filtered", items: target.items, at };
  if (target.kind === "mapping") return { kind: "filtered", items: target.entries.map((entry) => entry.value), at };
  if (target.kind === "filtered")
    return { kind: "filtered", items: target.items.flatMap((item) => (wildcard(item, at) as { items: ExpressionValue[] }).items), at };
  return { kind: "filtered", items: [], at };
}

function evaluate(ast: ExpressionAst, context: ExpressionContext): ExpressionValue {
  const at = context.at;
  switch (ast.type) {
    case "literal":
      return scalar(ast.value, at);
    case "version":
      return { kind: "version", parts: parseVersion(ast.text) ?? [], at };
    case "name": {
      const value = context.named.get(ast.name.toLowerCase());
      if (!value) {
        const known = [...context.named.keys()].join(", ");
        throw new ExpressionError(`Unrecognized value: '${ast.name}'. Here an expression can use: ${known || "no named values"}.`);
      }
      return value;
    }
    case "property":
      return member(evaluate(ast.target, context), scalar(ast.name, at), at);
    case "index":
      return member(evaluate(ast.target, context), evaluate(ast.index, context), at);
    case "wildcard":
      return wildcard(evaluate(ast.target, context), at);
    case "call": {
      const name = ast.name.toLowerCase();
      const refusal = context.refused?.[name];
      if (refusal) throw new ExpressionError(refusal);
      const fn = context.functions?.[name] ?? builtInFunctions[name];
      if (!fn) throw new ExpressionError(`Unrecognized function: '${ast.name}'.`);
      if (ast.args.length < fn.minArgs || ast.args.length > fn.maxArgs) {
        const range =
          fn.maxArgs === Number.POSITIVE_INFINITY ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw new ExpressionError(`${ast.name}() takes ${range} argument${range === "1" ? "" : "s"}, not ${ast.args.length}.`);
      }
      const args: Argument[] = ast.args.map((arg) => () => evaluate(arg, context));
      return fn.call(args, at);
    }
  }
}

/** Evaluates the expression text; errors name `what` (e.g. "the condition") and the place. */
export function evaluateExpression(text: string, context: ExpressionContext, what = "the expression"): ExpressionValue {
  try {
    return evaluate(parseExpression(text), context);
  } catch (error) {
    if (error instanceof ExpressionError) throw new PipelineError(`${what} '${text.trim()}' is invalid: ${error.message}`, context.at);
    throw error;
  }
}
