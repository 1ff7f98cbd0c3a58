import { Argument, ExpressionFunction } from "./expressions/expressionFunctions";
import { ExpressionError } from "./expressions/expressionSyntax";
import { requireText } from "./expressions/expressionValues";
import { isSuccess, RunResult } from "./results";
import { scalar } from "./yamlNodes";

/*
 * succeeded(), failed(), succeededOrFailed(), always(), canceled() in conditions:
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions#job-status-check-functions
 * For a step they read the job's status so far; for a job or a stage, the results of the units
 * it depends on (directly or not), or of the ones named.
 */

export type StatusView =
  | { level: "step"; canceled: boolean; jobStatus: RunResult }
  | {
      level: "job" | "stage";
      canceled: boolean;
      /** Results of every unit upstream in the dependency graph. */
      upstream: RunResult[];
      /** Result of a named unit this one depends on; undefined when it is not one of them. */
      resultOf(name: string): RunResult | undefined;
    };

const names = ["succeeded", "failed", "succeededorfailed", "always", "canceled"] as const;

/** Where status functions are not allowed, the message to refuse them with. */
export function statusFunctionRefusals(where: string): Record<string, string> {
  const refusals: Record<string, string> = {};
  for (const name of names) refusals[name] = `${name}() can only be used in a condition, not ${where}.`;
  return refusals;
}

/** Where counter() is not allowed (anywhere but a variable's `$[ ]`), the message to refuse it with. */
export function counterRefusal(where: string): Record<string, string> {
  return { counter: `counter() can only be used to define a variable with $[ ], not ${where}.` };
}

export function statusFunctions(view: StatusView): Record<string, ExpressionFunction> {
  const resultsOf = (args: Argument[], functionName: string): RunResult[] => {
    if (view.level === "step") {
      if (args.length > 0) throw new ExpressionError(`${functionName}() takes no names in a step's condition.`);
      return [view.jobStatus];
    }
    if (args.length === 0) return view.upstream;
    return args.map((arg) => {
      const name = requireText(arg(), `${functionName}'s argument`);
      const result = view.resultOf(name);
      if (result === undefined) throw new ExpressionError(`${functionName}('${name}'): '${name}' is not a ${view.level} this ${view.level} depends on.`);
      return result;
    });
  };
  const fn = (test: (results: RunResult[], named: boolean) => boolean, functionName: string): ExpressionFunction => ({
    minArgs: 0,
    maxArgs: view.level === "step" ? 0 : Number.POSITIVE_INFINITY,
    call: (args, at) => scalar(test(resultsOf(args, functionName), args.length > 0), at),
  });
  return {
    succeeded: fn((results) => !view.canceled && results.every(isSuccess), "succeeded"),
    failed: fn((results) => !view.canceled && results.some((result) => result === "Failed"), "failed"),
    succeededorfailed: fn(
      (results, named) => !view.canceled && (!named || results.every((result) => isSuccess(result) || result === "Failed")),
      "succeededOrFailed",
    ),
    always: { minArgs: 0, maxArgs: 0, call: (_args, at) => scalar(true, at) },
    canceled: { minArgs: 0, maxArgs: 0, call: (_args, at) => scalar(view.canceled, at) },
  };
}
