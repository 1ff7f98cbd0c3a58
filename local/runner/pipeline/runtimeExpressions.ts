import { evaluateExpression, ExpressionContext } from "./expressions/evaluateExpression";
import { ExpressionFunction } from "./expressions/expressionFunctions";
import { ExpressionValue, requireText } from "./expressions/expressionValues";
import { PipelineError, Where } from "./pipelineError";
import { statusFunctionRefusals } from "./statusFunctions";
import { scalar } from "./yamlNodes";

/*
 * `$[ … ]`: a variable's value computed when its stage or job starts, from `variables`,
 * `dependencies`, `stageDependencies`, `pipeline.startTime` and `counter()`. It must be the
 * whole value: `x: $[ a ] b` is text, as in Azure Pipelines.
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables#runtime-expression-syntax
 */

const whole = /^\s*\$\[(.*)\]\s*$/s;

/** The expression of a value that is one runtime expression, else undefined. */
export function runtimeExpressionOf(value: string): string | undefined {
  return whole.exec(value)?.[1];
}

/**
 * counter(prefix, seed): Azure keeps one count per prefix across the runs of a pipeline; a
 * local run has no history, so each prefix starts at its seed and counts up within the run.
 */
export class Counters {
  private readonly counts = new Map<string, number>();

  readonly counter: ExpressionFunction = {
    minArgs: 2,
    maxArgs: 2,
    call: ([prefix, seed], at) => {
      const key = requireText(prefix(), "counter's prefix");
      const start = Number(requireText(seed(), "counter's seed"));
      if (!Number.isInteger(start)) throw new PipelineError(`counter('${key}', …): the seed must be a whole number`, at);
      const next = this.counts.has(key) ? this.counts.get(key)! + 1 : start;
      this.counts.set(key, next);
      return scalar(next, at);
    },
  };
}

export interface RuntimeContext {
  named: ReadonlyMap<string, ExpressionValue>;
  counters: Counters;
}

export function evaluateRuntimeExpression(expression: string, context: RuntimeContext, at: Where, variableName: string): string {
  const expressionContext: ExpressionContext = {
    at,
    named: context.named,
    functions: { counter: context.counters.counter },
    refused: statusFunctionRefusals("in the value of a variable ($[ ])"),
  };
  const value = evaluateExpression(expression, expressionContext, `the runtime expression of variable '${variableName}'`);
  if (value.kind === "mapping" || value.kind === "sequence" || value.kind === "filtered") {
    throw new PipelineError(`the runtime expression of variable '${variableName}' gives a ${value.kind}; a variable holds text`, at);
  }
  return requireText(value, "the value");
}
