import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import type { ServiceConnection } from "../../../common/src/auth/serviceConnection";
import { parseReference, ReferenceSyntaxError, describeReferenceKind } from "../../../common/src/azureml/references";
import { applyConfigurationToCommand, selectConfigurationSection } from "../../../common/src/configuration";
import type { AppliedCommand } from "../../../common/src/configuration";
import { InputError } from "../../../common/src/errors/inputError";
import { checkInputFile } from "../../../common/src/files/fileInputs";
import { filePathInput, workingDirectory } from "../../../common/src/files/filePathInput";
import { readConfigurationInputs } from "../../../common/src/settings/configurationInputs";
import type { EnvironmentSettings } from "../../../common/src/settings/environmentSettings";
import type { ResourceReference } from "../../../common/src/settings/resourceReference";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { readConnection, readEnvironment, resolveWorkspace } from "../../../common/src/settings/workspaceTarget";
import { readCommandJobFile } from "../jobFile/commandJob";
import type { CommandJobSpec, JobCompute, JobEnvironment } from "../jobFile/commandJobSpec";
import { checkSubmittable } from "../submission/supportedFields";
import { PipelineRun, readPipelineRun } from "./pipelineRun";

/** Everything the task acts on, read and checked before its first call to Azure. */
export interface TrainTaskSettings {
  connection: ServiceConnection;
  environment: EnvironmentSettings;
  workspace: ResourceReference;
  /**
   * The job as the file describes it, with the inputs `experimentName`, `displayName`, `compute`
   * and `environment` applied over it, and its command with the configuration applied.
   */
  job: CommandJobSpec;
  /** Which inputs overrode the file, for the log: ["compute", "environment"]. */
  overrides: string[];
  /** What the configuration did to the command; undefined when there is no configuration file. */
  configuration?: { description: string; applied: AppliedCommand };
  /** Wait for the job to end (default), streaming its log. */
  wait: boolean;
  /** The task's own wait limit in minutes; 0 = none (the agent's step timeout still applies). */
  timeoutMinutes: number;
  /** At the task's own timeout: cancel the Azure ML job (default) or leave it running. */
  cancelOnTimeout: boolean;
  /** The pipeline run the job is tagged with. */
  pipelineRun: PipelineRun;
}

/** The job file: required; the agent's "unset" filePath (the sources folder) is reported as missing. */
function jobFilePath(): string {
  const file = filePathInput("jobFile");
  if (file === undefined) {
    throw new InputError("Input 'jobFile' is not set: give the path of the command job YAML (as `az ml job create -f` takes it).");
  }
  checkInputFile({ path: file, source: "Input 'jobFile'" });
  return file;
}

/**
 * The experiment when neither the input nor the file names one. `az ml` takes the working
 * directory's name, which on an agent is `s` for every pipeline; the pipeline's own name is what
 * its users look for in studio. Experiment names take letters, digits, `_` and `-` (at most 255).
 */
export function defaultExperimentName(definitionName: string | undefined, jobFile: string): string {
  const fromPipeline = (definitionName ?? "")
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^[_-]+|_+$/g, "")
    .slice(0, 255);
  if (fromPipeline !== "") return fromPipeline;
  const fromFolder = path
    .basename(path.dirname(jobFile))
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^[_-]+/, "");
  return fromFolder || "Default";
}

function textInput(name: string): string | undefined {
  const value = tl.getInput(name, false)?.trim() || undefined;
  if (value !== undefined && hasControlCharacter(value)) {
    throw new InputError(`Input '${name}' is ${quoted(value)}, which holds a line break or control character; give one line of text.`);
  }
  return value;
}

const experimentNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

function readExperimentOverride(): string | undefined {
  const value = textInput("experimentName");
  if (value !== undefined && !experimentNamePattern.test(value)) {
    throw new InputError(
      `Input 'experimentName' is ${quoted(value)}; an experiment name takes letters, digits, '_' and '-', starts with a letter or digit, at most 255 characters.`,
    );
  }
  return value;
}

/** Input `compute`: `azureml:<name>` or the name alone, as the file's `compute` field. */
export function parseComputeInput(value: string): JobCompute {
  const name = value.startsWith("azureml:") ? value.slice("azureml:".length) : value;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    throw new InputError(`Input 'compute' is ${quoted(value)}; write azureml:<compute-name> or the compute's name alone.`);
  }
  return { kind: "named", name, text: value };
}

/** Input `environment`: a registered environment, in the forms the file's `environment` takes as text. */
export function parseEnvironmentInput(value: string): JobEnvironment {
  let reference;
  try {
    reference = parseReference(value, workingDirectory());
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) throw new InputError(`Input 'environment' is ${quoted(value)}, which ${error.message}.`);
    throw error;
  }
  const accepted =
    reference.kind === "assetVersion" ||
    reference.kind === "assetLabel" ||
    (reference.kind === "armId" && reference.collection.toLowerCase() === "environments") ||
    (reference.kind === "registryAsset" && reference.collection === "environments");
  if (!accepted) {
    const hint =
      reference.kind === "resource"
        ? ` without a version; write azureml:${reference.name}@latest or azureml:${reference.name}:<version>`
        : `, ${describeReferenceKind(reference.kind)}; write azureml:<name>:<version>, azureml:<name>@latest or azureml://registries/<registry>/environments/<name>/versions/<version>`;
    throw new InputError(`Input 'environment' is ${quoted(value)}${hint}.`);
  }
  return { kind: "reference", reference };
}

/** Input `timeoutMinutes`: a whole number of minutes, 0 for no limit of the task's own. */
function readTimeoutMinutes(): number {
  const text = tl.getInput("timeoutMinutes", false)?.trim() || "0";
  if (!/^[0-9]+$/.test(text) || Number(text) > 60 * 24 * 30) {
    throw new InputError(
      `Input 'timeoutMinutes' is ${quoted(text)}; give a whole number of minutes (0 = no limit of the task's own), at most 43200 (30 days).`,
    );
  }
  return Number(text);
}

function applyOverrides(job: CommandJobSpec): string[] {
  const overrides: string[] = [];
  const experimentName = readExperimentOverride();
  if (experimentName !== undefined) {
    job.experimentName = experimentName;
    job.experimentNameSource = "file";
    overrides.push("experimentName");
  }
  const displayName = textInput("displayName");
  if (displayName !== undefined) {
    job.displayName = displayName;
    overrides.push("displayName");
  }
  const compute = textInput("compute");
  if (compute !== undefined) {
    job.compute = parseComputeInput(compute);
    overrides.push("compute");
  }
  const environment = textInput("environment");
  if (environment !== undefined) {
    job.environment = parseEnvironmentInput(environment);
    overrides.push("environment");
  }
  return overrides;
}

/**
 * The configuration's values for this job (input `configurationSection`) applied to the command:
 * as `${{configuration.<name>}}` placeholders where the command has them, else appended as
 * arguments. Without a configuration file, a command that uses a placeholder fails here, by
 * name, rather than on the compute.
 */
function applyConfiguration(job: CommandJobSpec, environment: EnvironmentSettings): TrainTaskSettings["configuration"] {
  const loaded = readConfigurationInputs(environment.environment);
  if (loaded === undefined) {
    const section = tl.getInput("configurationSection", false)?.trim();
    if (section)
      tl.warning(
        `Input 'configurationSection' is '${section}', but there is no configuration file for this environment: the command runs without configuration values.`,
      );
    const placeholder = /\$\{\{\s*configuration\.[^}\s]*\s*\}\}/.exec(job.command);
    if (placeholder !== null) {
      throw new InputError(
        `${job.commandLocation}: the command uses ${placeholder[0]}, but no configuration file was found: ` +
          "set variable ENVIRONMENT (the task reads <configurationDirectory>/configuration-<env>.yml) or input 'configurationFile'.",
      );
    }
    return undefined;
  }
  const section = selectConfigurationSection(loaded.values, tl.getInput("configurationSection", false), loaded.files);
  const applied = applyConfigurationToCommand(job.command, section.values, job.commandLocation);
  job.command = applied.command;
  return { description: section.description, applied };
}

/** Reads and checks every input before the task makes a single call to Azure. */
export function readTrainSettings(): TrainTaskSettings {
  const connection = readConnection();
  const environment = readEnvironment(connection);
  const workspace = resolveWorkspace(connection, environment);

  const file = jobFilePath();
  const job = readCommandJobFile(file, "jobFile", { defaultExperimentName: defaultExperimentName(tl.getVariable("Build.DefinitionName"), file) });
  const overrides = applyOverrides(job);
  checkSubmittable(job);
  const configuration = applyConfiguration(job, environment);

  return {
    connection,
    environment,
    workspace,
    job,
    overrides,
    configuration,
    wait: tl.getBoolInput("wait", false) || tl.getInput("wait", false) === undefined,
    timeoutMinutes: readTimeoutMinutes(),
    cancelOnTimeout: tl.getInput("cancelOnTimeout", false) === undefined ? true : tl.getBoolInput("cancelOnTimeout", false),
    pipelineRun: readPipelineRun(),
  };
}
