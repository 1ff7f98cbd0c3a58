import { variableEnvironmentName } from "../agentEnvironment";
import { expandMacros, VariableLookup } from "../macros";
import { Where } from "./pipelineError";
import { mapping, MappingNode, scalar } from "./yamlNodes";

/*
 * The variables of a job while it runs: pipeline, stage and job variables in that order of
 * precedence (the later wins), the agent's system variables under them, and what steps set.
 * A variable once secret stays secret; secrets are not put in the environment of scripts
 * (only `env:` or `$( )` passes them), read-only ones cannot be set by a step.
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables
 */

export interface RuntimeVariable {
  name: string;
  value: string;
  secret: boolean;
  readonly: boolean;
}

/** Variables whose names start so are not passed to tasks and scripts (variables.md, naming restrictions). */
const reservedPrefix = /^(endpoint|input|secret|path|securefile)/i;

/** How deep `$(a)` inside a variable's value is followed when a job starts (the agent's limit). */
const maxExpansionDepth = 50;

export class VariableSet {
  private readonly byName = new Map<string, RuntimeVariable>();

  constructor(initial: Iterable<RuntimeVariable> = []) {
    for (const variable of initial) this.byName.set(variable.name.toLowerCase(), { ...variable });
  }

  clone(): VariableSet {
    return new VariableSet(this.byName.values());
  }

  get(name: string): RuntimeVariable | undefined {
    return this.byName.get(name.toLowerCase());
  }

  value(name: string): string | undefined {
    return this.get(name)?.value;
  }

  /** Sets a variable; false when it is read-only and stays as it was. */
  set(variable: RuntimeVariable): boolean {
    const existing = this.get(variable.name);
    if (existing?.readonly) return false;
    this.byName.set(variable.name.toLowerCase(), { ...variable, name: existing?.name ?? variable.name, secret: variable.secret || !!existing?.secret });
    return true;
  }

  /** Sets a system variable of the agent, which the pipeline cannot change. */
  setSystem(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), { name, value, secret: false, readonly: false });
  }

  all(): RuntimeVariable[] {
    return [...this.byName.values()];
  }

  readonly lookup: VariableLookup = (name) => this.value(name);

  /** The `variables` of an expression: every variable, secrets included (expressions may read them). */
  expressionMapping(at: Where): MappingNode {
    return mapping(
      this.all().map((variable) => ({ key: scalar(variable.name, at), value: scalar(variable.value, at) })),
      at,
    );
  }

  /** What a script's or a task's environment gets: names upper-cased, '.' as '_', no secrets. */
  environment(): Record<string, string> {
    const environment: Record<string, string> = {};
    for (const variable of this.all()) {
      if (!variable.secret && !reservedPrefix.test(variable.name)) environment[variableEnvironmentName(variable.name)] = variable.value;
    }
    return environment;
  }

  /** Non-secret and secret values apart, as runTaskStep takes them. */
  forTask(): { variables: Record<string, string>; secretVariables: Record<string, string> } {
    const variables: Record<string, string> = {};
    const secretVariables: Record<string, string> = {};
    for (const variable of this.all()) {
      if (reservedPrefix.test(variable.name)) continue;
      (variable.secret ? secretVariables : variables)[variable.name] = variable.value;
    }
    return { variables, secretVariables };
  }

  /** `$(b)` inside the value of `a` replaced by b's value, recursively, as when a job starts. */
  expandValues(): void {
    const resolved = new Map<string, string>();
    const resolve = (variable: RuntimeVariable, trail: Set<string>): string => {
      const key = variable.name.toLowerCase();
      const known = resolved.get(key);
      if (known !== undefined) return known;
      if (trail.has(key) || trail.size >= maxExpansionDepth) return variable.value;
      const inner = new Set(trail).add(key);
      const value = expandMacros(variable.value, (name) => {
        const other = this.get(name);
        return other ? resolve(other, inner) : undefined;
      });
      resolved.set(key, value);
      return value;
    };
    for (const variable of this.all()) variable.value = resolve(variable, new Set());
  }
}
