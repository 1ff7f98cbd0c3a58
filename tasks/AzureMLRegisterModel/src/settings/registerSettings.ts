import * as fs from "node:fs";
import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import type { ServiceConnection } from "../../../common/src/auth/serviceConnection";
import { InputError } from "../../../common/src/errors/inputError";
import { type ModelSpec, type ModelType, readModelFile } from "../../../common/src/azureml/modelFile";
import type { AzureMLReference } from "../../../common/src/azureml/references";
import type { EnvironmentSettings } from "../../../common/src/settings/environmentSettings";
import type { ResourceReference } from "../../../common/src/settings/resourceReference";
import { firstValue, type SourcedValue } from "../../../common/src/settings/sourcedValue";
import { parseTags } from "../../../common/src/settings/tags";
import { readConnection, readEnvironment, resolveWorkspace } from "../../../common/src/settings/workspaceTarget";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { type GateInputs, type GateSettings, goalWithoutMetric, readGateSettings } from "../gate/gateSettings";
import { checkPathInOutput, checkReferenceName } from "../source/jobOutputPath";
import { capitalized } from "../../../common/src/text/sentence";
import { lastJobNameVariable } from "../../../common/src/jobs/lastJobName";

export const modelTypes: readonly ModelType[] = ["custom_model", "mlflow_model", "triton_model"];

/** Where the model's files are, as the inputs give it. */
export type ModelSource =
  /** A job's output: the job, and optionally which output and which path inside it. */
  | { kind: "jobOutput"; job: SourcedValue; output?: SourcedValue; path?: SourcedValue }
  /** A file or folder on the agent, absolute, that exists; uploaded. */
  | { kind: "localPath"; path: SourcedValue }
  /** A model YAML; its `path` is a local path (uploaded) or a reference to files already in Azure. */
  | { kind: "modelFile"; spec: ModelSpec; path: ModelFilePath };

/** The forms a model file's `path` may take here. */
export type ModelFilePath =
  | { kind: "local"; path: string }
  /** Used as the version's `modelUri` as written (datastore URI, storage URL). */
  | { kind: "uri"; uri: string }
  /** A job's output (`azureml://jobs/…` or MLflow's `runs:/<run>/<path>`); the job is recorded on the version. */
  | { kind: "jobOutput"; job: string; output: string; path: string };

/** Everything the task does, read and checked before the first call to Azure. */
export interface RegisterSettings {
  connection: ServiceConnection;
  environment: EnvironmentSettings;
  workspace: ResourceReference;
  source: ModelSource;
  /** Input 'modelName', else the model file's `name`. */
  modelName: SourcedValue;
  /**
   * Input 'modelType', else the model file's `type` (`custom_model` when it has none). Absent:
   * the type of the job output the model is (`mlflow_model`…), else `custom_model`.
   */
  modelType?: ModelType;
  /** Only from a model file: `version`. Absent: the next number after the model's highest. */
  version?: SourcedValue;
  description?: string;
  /** The model file's tags with input 'tags' over them. */
  tags: Record<string, string>;
  /** The model file's properties with input 'properties' over them. */
  properties: Record<string, string>;
  gate?: GateSettings;
  /** The job whose metrics file the gate reads (the source job); set whenever `gate` is. */
  gateJob?: SourcedValue;
  /** A goal given without a metric (the classic editor may fill it in by itself): no gate, said in the log. */
  ignoredGoal?: SourcedValue;
}

/** Model names as Azure ML takes them (the same rule as a model file's `name`). */
const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

function input(name: string): SourcedValue | undefined {
  return firstValue({ input: name });
}

/** Relative paths are taken from the working directory, as the agent gives file inputs. */
function localFile(value: SourcedValue, what: string): SourcedValue {
  if (hasControlCharacter(value.value)) throw new InputError(`${capitalized(value.source)} is ${quoted(value.value)}, which holds a control character.`);
  const root = tl.getVariable("System.DefaultWorkingDirectory") || process.cwd();
  const absolute = path.resolve(root, value.value);
  if (!fs.existsSync(absolute)) throw new InputError(`${capitalized(value.source)} names ${what} ${quoted(absolute)}, which does not exist.`);
  return { value: absolute, source: value.source };
}

function readSource(kind: string): ModelSource {
  if (kind === "jobOutput") {
    const job = firstValue({ input: "jobName" }, { variable: lastJobNameVariable });
    if (!job) {
      throw new InputError(
        `Input 'jobName' is empty and no AzureMLTrain step ran before in this job (variable ${lastJobNameVariable} is not set): name the job whose output holds the model.`,
      );
    }
    checkReferenceName(job.value, "job name", job.source);
    const output = input("jobOutput");
    if (output) checkReferenceName(output.value, "job output name", output.source);
    const pathInOutput = input("pathInOutput");
    if (pathInOutput) checkPathInOutput(pathInOutput.value, pathInOutput.source);
    return { kind, job, ...(output ? { output } : {}), ...(pathInOutput ? { path: pathInOutput } : {}) };
  }
  if (kind === "localPath") {
    const given = input("localPath");
    if (!given) throw new InputError("Input 'localPath' is empty; with source 'localPath' it names the model's file or folder on the agent.");
    return { kind, path: localFile(given, "file or folder") };
  }
  const given = input("modelFile");
  if (!given) throw new InputError("Input 'modelFile' is empty; with source 'modelFile' it names a model YAML (az ml model create -f).");
  const file = localFile(given, "model file");
  const spec = readModelFile(file.value, "modelFile");
  return { kind: "modelFile", spec, path: modelFilePath(spec) };
}

function modelFilePath(spec: ModelSpec): ModelFilePath {
  const where = `Model file ${quoted(spec.file)}`;
  const reference: AzureMLReference | undefined = spec.path;
  if (!reference) throw new InputError(`${where} has no 'path': it must say where the model's files are.`);
  switch (reference.kind) {
    case "localPath":
      if (!fs.existsSync(reference.path)) throw new InputError(`${where} has path ${quoted(reference.text)}, and ${quoted(reference.path)} does not exist.`);
      return { kind: "local", path: reference.path };
    case "jobOutput":
      return { kind: "jobOutput", job: reference.job, output: reference.output, path: reference.path };
    case "mlflowRun":
      // As azure-ai-ml reads it: the run is the job, the path is inside its artifact store.
      return { kind: "jobOutput", job: reference.runId, output: "artifacts", path: reference.path };
    case "datastorePath":
    case "storageUrl":
      return { kind: "uri", uri: reference.text };
    default:
      throw new InputError(
        `${where} has path ${quoted(reference.text)}, which names a registered asset, not the model's files; give a local path, a datastore or job output URI.`,
      );
  }
}

function readModelName(spec: ModelSpec | undefined): SourcedValue {
  const name = input("modelName") ?? (spec ? { value: spec.name, source: `the 'name' of model file ${quoted(spec.file)}` } : undefined);
  if (!name) throw new InputError("Input 'modelName' is empty; it names the model to register.");
  if (!modelNamePattern.test(name.value)) {
    throw new InputError(
      `${capitalized(name.source)} is ${quoted(name.value)}, not a model name: use letters, digits, '-', '_' and '.', starting with a letter or digit, at most 255 characters.`,
    );
  }
  return name;
}

function readModelType(spec: ModelSpec | undefined): ModelType | undefined {
  const given = input("modelType");
  if (!given) return spec?.type;
  const found = modelTypes.find((type) => type === given.value.toLowerCase());
  if (!found) throw new InputError(`Input 'modelType' is ${quoted(given.value)}; it takes ${modelTypes.join(", ")}.`);
  return found;
}

function readDescription(spec: ModelSpec | undefined): string | undefined {
  const given = tl.getInput("description", false)?.trim();
  if (given && hasControlCharacter(given))
    throw new InputError(`Input 'description' is ${quoted(given)}, which holds a control character; give one line of text.`);
  return given || spec?.description;
}

/** Gate inputs as given (empty ones left out); `readGateSettings` decides what they mean. */
function gateInputs(): GateInputs {
  return {
    metric: input("metric"),
    goal: input("goal"),
    metricsFile: input("metricsFile"),
    championTag: input("championTag"),
    minImprovement: input("minImprovement"),
  };
}

/** The job the gate reads its metric from: the source's job; a model from the agent has none. */
function gateJobOf(source: ModelSource, gate: GateSettings): SourcedValue {
  if (source.kind === "jobOutput") return source.job;
  if (source.kind === "modelFile" && source.path.kind === "jobOutput") {
    return { value: source.path.job, source: `the 'path' of model file ${quoted(source.spec.file)}` };
  }
  throw new InputError(
    `${capitalized(gate.metric.source)} sets a gate, which reads the metric from the job that produced the model, but a model from ${source.kind === "localPath" ? "input 'localPath'" : "a local path in the model file"} has no job: remove the gate inputs or register from a job's output.`,
  );
}

/** Reads and checks every input before the task makes a single call to Azure. */
export function readRegisterSettings(): RegisterSettings {
  const connection = readConnection();
  const environment = readEnvironment(connection);
  const workspace = resolveWorkspace(connection, environment);

  const kind = tl.getInput("source", false)?.trim() || "jobOutput";
  if (!["jobOutput", "localPath", "modelFile"].includes(kind)) {
    throw new InputError(`Input 'source' is ${quoted(kind)}; it takes jobOutput, localPath or modelFile.`);
  }
  const source = readSource(kind);
  const spec = source.kind === "modelFile" ? source.spec : undefined;
  const modelName = readModelName(spec);
  const modelType = readModelType(spec);
  const description = readDescription(spec);
  const tags = { ...spec?.tags, ...parseTags(tl.getInput("tags", false), "tags") };
  const properties = { ...spec?.properties, ...parseTags(tl.getInput("properties", false), "properties") };
  const version = spec?.version ? { value: spec.version, source: `the 'version' of model file ${quoted(spec.file)}` } : undefined;

  const gateGiven = gateInputs();
  const gate = readGateSettings(gateGiven);
  const gateJob = gate ? gateJobOf(source, gate) : undefined;
  const ignoredGoal = goalWithoutMetric(gateGiven);
  return {
    connection,
    environment,
    workspace,
    source,
    modelName,
    ...(modelType ? { modelType } : {}),
    ...(version ? { version } : {}),
    ...(description ? { description } : {}),
    tags,
    properties,
    ...(gate ? { gate, gateJob } : {}),
    ...(ignoredGoal ? { ignoredGoal } : {}),
  };
}
