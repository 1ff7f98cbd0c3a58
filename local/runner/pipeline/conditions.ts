import { evaluateExpression, ExpressionContext } from "./expressions/evaluateExpression";
import { ExpressionValue, toBoolean } from "./expressions/expressionValues";
import { Condition } from "./planTypes";
import { Where } from "./pipelineError";
import { counterRefusal, StatusView, statusFunctions } from "./statusFunctions";
import { MappingNode } from "./yamlNodes";

/*
 * `condition:` of a stage, a job or a step: https://learn.microsoft.com/azure/devops/pipelines/process/conditions
 * No condition means succeeded(); a condition given replaces it (it is not and-ed with it).
 * A condition sees the variables known before its unit starts (not the ones the unit defines),
 * and, for stages and jobs, the results and outputs of what they depend on.
 */

export interface ConditionScope {
  view: StatusView;
  variables: MappingNode;
  dependencies?: MappingNode;
  stageDependencies?: MappingNode;
  at: Where;
}

export function evaluateCondition(condition: Condition | undefined, scope: ConditionScope): boolean {
  const text = condition?.text ?? "succeeded()";
  const named = new Map<string, ExpressionValue>([["variables", scope.variables]]);
  if (scope.dependencies) named.set("dependencies", scope.dependencies);
  if (scope.stageDependencies) named.set("stagedependencies", scope.stageDependencies);
  const context: ExpressionContext = {
    at: condition?.at ?? scope.at,
    named,
    functions: statusFunctions(scope.view),
    refused: counterRefusal("in a condition"),
  };
  return toBoolean(evaluateExpression(text, context, "the condition"));
}
