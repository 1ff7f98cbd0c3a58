import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { AgentEndpoint, endpointEnvironment, hostEnvironment, inputEnvironmentName, variableEnvironmentName } from "./agentEnvironment";
import { LoggingCommand, parseLoggingCommand } from "./loggingCommands";
import { expandMacros } from "./macros";

/** One task step as the agent runs it: a node process, its inputs and connections in the environment. */
export interface TaskStep {
  /** Folder of the built task: task.json and the handler's target. */
  taskDirectory: string;
  inputs: Record<string, string>;
  variables: Record<string, string>;
  secretVariables?: Record<string, string>;
  endpoints: AgentEndpoint[];
  /** Process environment beyond the host's essentials and the agent's (e.g. NODE_EXTRA_CA_CERTS); nothing else of the caller's passes. */
  environment?: Record<string, string>;
  /** Each line of the task's output, secrets masked, as the agent would log it. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** Cancels the step as the agent does: the task process is terminated, the result is Canceled. */
  signal?: AbortSignal;
}

export type TaskResult = "Succeeded" | "SucceededWithIssues" | "Failed" | "Canceled" | "Skipped";

export interface TaskStepResult {
  /** What the task reported with task.complete; undefined if it reported nothing. */
  result?: TaskResult;
  message?: string;
  exitCode: number | null;
  outputs: Record<string, string>;
  variables: Record<string, string>;
  secrets: string[];
  errors: string[];
  warnings: string[];
  summaries: string[];
  /** Every logging command the task wrote, in order, unmasked (for the runner to apply). */
  commands: LoggingCommand[];
  /** The whole output, secrets masked. */
  log: string;
}

interface TaskJson {
  inputs?: Array<{ name: string; defaultValue?: string; aliases?: string[] }>;
  execution?: Record<string, { target: string }>;
}

function mask(line: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => (secret ? text.split(secret).join("***") : text), line);
}

/** The inputs the agent passes: the step's, resolved through aliases, over task.json's defaults. */
function resolveInputs(taskJson: TaskJson, given: Record<string, string>, variables: Record<string, string>): Record<string, string> {
  // Variable names are case-insensitive, as the agent reads them.
  const byName = new Map(Object.entries(variables).map(([name, value]) => [name.toLowerCase(), value]));
  const lookup = (name: string) => byName.get(name.toLowerCase());
  const inputs: Record<string, string> = {};
  for (const input of taskJson.inputs ?? []) {
    const names = [input.name, ...(input.aliases ?? [])];
    const supplied = names.map((name) => given[name]).find((value) => value !== undefined);
    const value = supplied ?? input.defaultValue;
    if (value !== undefined) inputs[input.name] = expandMacros(value, lookup);
  }
  const known = new Set((taskJson.inputs ?? []).flatMap((input) => [input.name, ...(input.aliases ?? [])]));
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`The task has no input ${unknown.map((n) => `'${n}'`).join(", ")}.`);
  return inputs;
}

export async function runTaskStep(step: TaskStep): Promise<TaskStepResult> {
  const taskJson = JSON.parse(fs.readFileSync(path.join(step.taskDirectory, "task.json"), "utf8")) as TaskJson;
  const target = taskJson.execution?.Node20_1?.target ?? taskJson.execution?.Node24?.target;
  if (!target) throw new Error(`${step.taskDirectory}/task.json has no Node20_1 or Node24 handler.`);
  const allVariables = { ...step.variables, ...step.secretVariables };
  const inputs = resolveInputs(taskJson, step.inputs, allVariables);

  // Only the host's essentials, then what this step gives: never the caller's own pipeline
  // variables, proxies or CA files, which would change what the task does.
  const env: Record<string, string> = hostEnvironment();
  Object.assign(env, step.environment);
  for (const [name, value] of Object.entries(step.variables)) env[variableEnvironmentName(name)] = value;
  for (const [name, value] of Object.entries(step.secretVariables ?? {})) env[variableEnvironmentName(name, true)] = value;
  for (const [name, value] of Object.entries(inputs)) env[inputEnvironmentName(name)] = value;
  for (const endpoint of step.endpoints) Object.assign(env, endpointEnvironment(endpoint));

  const workingDirectory = env.SYSTEM_DEFAULTWORKINGDIRECTORY ?? process.cwd();
  if (!fs.existsSync(workingDirectory)) throw new Error(`System.DefaultWorkingDirectory '${workingDirectory}' does not exist.`);
  const secrets = [...Object.values(step.secretVariables ?? {})];
  const result: TaskStepResult = { exitCode: null, outputs: {}, variables: {}, secrets, errors: [], warnings: [], summaries: [], commands: [], log: "" };

  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(step.taskDirectory, target)], {
      cwd: workingDirectory,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      signal: step.signal,
    });
    const timer = step.timeoutMs ? setTimeout(() => child.kill("SIGTERM"), step.timeoutMs) : undefined;
    const lines: string[] = [];

    const readLine = (line: string) => {
      const command = parseLoggingCommand(line);
      if (command) result.commands.push(command);
      if (command?.name === "task.setsecret" && command.data) secrets.push(command.data);
      if (command?.name === "task.setvariable" && command.properties.variable) {
        const name = command.properties.variable;
        if (command.properties.issecret === "true") secrets.push(command.data);
        if (command.properties.isoutput === "true") result.outputs[name] = command.data;
        else result.variables[name] = command.data;
      }
      if (command?.name === "task.issue") (command.properties.type === "error" ? result.errors : result.warnings).push(command.data);
      if (command?.name === "task.uploadsummary") result.summaries.push(command.data);
      if (command?.name === "task.complete") {
        result.result = command.properties.result as TaskResult;
        result.message = command.data;
      }
      // The command carries the secret escaped (%AZP25…), a spelling masking by value misses.
      const masked = command?.name === "task.setsecret" ? "##vso[task.setsecret]***" : mask(line, secrets);
      lines.push(masked);
      step.onLine?.(masked);
    };
    // Each stream keeps its own unfinished line.
    const lineReader = () => {
      let pending = "";
      return {
        data: (chunk: Buffer) => {
          pending += chunk.toString("utf8");
          const parts = pending.split(/\r?\n/);
          pending = parts.pop() ?? "";
          parts.forEach(readLine);
        },
        end: () => pending && readLine(pending),
      };
    };
    const stdout = lineReader();
    const stderr = lineReader();
    child.stdout.on("data", stdout.data);
    child.stderr.on("data", stderr.data);
    child.on("error", (error) => {
      // A cancelled step ends with its process's close, like any other.
      if (!step.signal?.aborted) reject(error);
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      stdout.end();
      stderr.end();
      result.exitCode = code;
      if (!result.result && step.signal?.aborted) result.result = "Canceled";
      // A task that exits non-zero without saying so has failed, as the agent judges it.
      if (!result.result && code !== 0) result.result = "Failed";
      if (!result.result) result.result = "Succeeded";
      result.log = lines.join("\n");
      resolve(result);
    });
  });
}
