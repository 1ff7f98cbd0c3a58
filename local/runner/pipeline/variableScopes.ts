import { ExpressionValue } from "./expressions/expressionValues";
import { PipelineError, Where } from "./pipelineError";
import { VariableEntry } from "./planTypes";
import { Counters, evaluateRuntimeExpression, runtimeExpressionOf } from "./runtimeExpressions";
import { SecretMasker } from "./secretMasker";
import { VariableGroups } from "./variableGroups";
import { VariableSet } from "./variables";
import { mapping, MappingNode, scalar } from "./yamlNodes";

/*
 * Pipeline, stage and job variables added to a scope in the order they are written (the later
 * wins), `$[ ]` values evaluated as they come (they see the variables before them), groups
 * taken from the local group file (their secrets registered with the masker).
 */

export interface ScopeContext {
  groups: VariableGroups;
  masker: SecretMasker;
  counters: Counters;
  startTime: Date;
  /** `dependencies` and `stageDependencies` for `$[ ]` at this level. */
  dependencies?: MappingNode;
  stageDependencies?: MappingNode;
}

/** `pipeline.startTime`, in UTC. */
function pipelineObject(startTime: Date, at: Where): ExpressionValue {
  return mapping([{ key: scalar("startTime", at), value: scalar(startTime.toISOString(), at) }], at);
}

export function addVariables(entries: VariableEntry[], into: VariableSet, context: ScopeContext): void {
  for (const entry of entries) {
    if (entry.kind === "group") {
      const group = context.groups.get(entry.name.toLowerCase());
      if (!group) throw new PipelineError(`the variable group '${entry.name}' is not in the group file (--group-file)`, entry.at);
      for (const variable of group) {
        if (variable.secret) context.masker.add(variable.value);
        into.set({ name: variable.name, value: variable.value, secret: variable.secret, readonly: false });
      }
      continue;
    }
    const expression = runtimeExpressionOf(entry.value);
    let value = entry.value;
    if (expression !== undefined) {
      const named = new Map<string, ExpressionValue>([
        ["variables", into.expressionMapping(entry.at)],
        ["pipeline", pipelineObject(context.startTime, entry.at)],
      ]);
      if (context.dependencies) named.set("dependencies", context.dependencies);
      if (context.stageDependencies) named.set("stagedependencies", context.stageDependencies);
      value = evaluateRuntimeExpression(expression, { named, counters: context.counters }, entry.at, entry.name);
    }
    into.set({ name: entry.name, value, secret: false, readonly: entry.readonly });
  }
}

/** Group names the plan uses that the group file lacks: an error before anything runs. */
export function checkGroups(entries: VariableEntry[], groups: VariableGroups): void {
  for (const entry of entries) {
    if (entry.kind === "group" && !groups.has(entry.name.toLowerCase())) {
      const known = [...groups.keys()];
      throw new PipelineError(
        `the variable group '${entry.name}' is not defined: give it in a group file with --group-file${known.length ? ` (the file has ${known.join(", ")})` : ""}`,
        entry.at,
      );
    }
  }
}
