import { hostEnvironment } from "../agentEnvironment";
import { runTaskStep, TaskStepResult } from "../taskProcess";
import { builtTaskDirectory } from "./builtTasks";
import { expandMacros, type VariableLookup } from "../macros";
import { TaskStep } from "./planTypes";
import { RunConnections } from "./runConnections";
import { VariableSet } from "./variables";

/*
 * A step of one of our tasks, as the agent runs it (runTaskStep: a node process on the built
 * task, inputs as INPUT_*, endpoints as ENDPOINT_*, the job's variables, secrets as SECRET_*),
 * with the service connections it names mapped to endpoints.
 */

export interface TaskRun {
  step: TaskStep;
  repositoryRoot: string;
  variables: VariableSet;
  /** This step's own Agent.TempDirectory. */
  tempDirectory: string;
  /** The step's `env:`, already expanded. */
  env: Record<string, string>;
  prependPaths: string[];
  connections: RunConnections;
  timeoutMs?: number;
  signal: AbortSignal;
  onLine(line: string): void;
}

/**
 * The step's inputs as the agent hands them to the task: every `$(name)` macro expanded just
 * before the step runs (`endpointName: $(ENDPOINT_NAME)`), a connection's name trimmed.
 */
export function expandTaskInputs(step: Pick<TaskStep, "inputs" | "connectionInputs">, lookup: VariableLookup): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.inputs)) inputs[name] = expandMacros(value, lookup);
  for (const name of step.connectionInputs) if (inputs[name] !== undefined) inputs[name] = inputs[name].trim();
  return inputs;
}

export async function runOurTask(run: TaskRun): Promise<TaskStepResult> {
  const { step, variables } = run;
  const inputs = expandTaskInputs(step, variables.lookup);
  // The connection's name may come from a variable: `azureSubscription: $(SERVICECONNECTION_RG)`.
  const connectionNames = step.connectionInputs.map((input) => inputs[input]).filter((name): name is string => name !== undefined && name !== "");
  const connections = await run.connections.forStep(connectionNames);
  for (const input of step.connectionInputs) {
    const id = inputs[input] === undefined ? undefined : connections.ids.get(inputs[input]);
    if (id) inputs[input] = id;
  }
  const { variables: plain, secretVariables } = variables.forTask();
  const host = hostEnvironment();
  const environment: Record<string, string> = { ...connections.environment, ...run.env };
  if (run.prependPaths.length > 0) environment.PATH = [...run.prependPaths, host.PATH ?? ""].join(":");
  return await runTaskStep({
    taskDirectory: builtTaskDirectory(run.repositoryRoot, step.taskName),
    inputs,
    variables: { ...plain, ...connections.variables, "Agent.TempDirectory": run.tempDirectory },
    secretVariables,
    endpoints: connections.endpoints,
    environment,
    onLine: (line) => run.onLine(line),
    timeoutMs: run.timeoutMs,
    signal: run.signal,
  });
}
