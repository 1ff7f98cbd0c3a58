import { capitalized, inputError, logSafe } from "../../../common/src/text/sentence";
import { SourcedValue } from "../../../common/src/settings/sourcedValue";
import { artifactsOutputName, checkPathInOutput, checkReferenceName, jobOutputUri } from "./jobOutputPath";

/**
 * A job's outputs as Azure ML returns them (`properties.outputs`: name → `{ jobOutputType, uri }`).
 * Azure adds one named `default`, the job's artifact store; it is not one the user declared.
 */
export type JobOutputs = Record<string, { jobOutputType?: string } | undefined>;

/** The output Azure adds to every job; it is the artifact store, `artifacts` in a reference. */
export const systemOutputName = "default";

const modelOutputTypes = new Set(["custom_model", "mlflow_model", "triton_model"]);

export interface ChosenJobOutput {
  /** The output in the reference: a declared output's name, or `artifacts`. */
  outputName: string;
  /** The path inside it (`""` is the whole output). */
  pathInOutput: string;
  /** `azureml://jobs/<job>/outputs/<output>/paths/<path>`. */
  uri: string;
  /** One sentence for the log: which output and why. */
  reason: string;
}

export interface JobOutputRequest {
  /** The job that produced the model. */
  job: SourcedValue;
  /** Its outputs, as Azure ML returned them. */
  outputs: JobOutputs;
  /** The output the user named, if any. */
  output?: SourcedValue;
  /** The path inside the output the user gave, if any. */
  path?: SourcedValue;
  /** How to tell the user to name an output, e.g. "input 'jobOutput'". */
  outputInput: string;
}

function declaredOutputs(outputs: JobOutputs): string[] {
  return Object.keys(outputs).filter((name) => name !== systemOutputName);
}

function listed(names: string[]): string {
  return names.map((name) => `'${name}'`).join(", ");
}

/**
 * Which output of the job holds the model. Asked for by name, it must exist (`artifacts` always
 * does). Otherwise: the job's only declared output; among several, the only one typed as a model
 * (`custom_model`, `mlflow_model`, `triton_model`); else the artifact store, where the path
 * defaults to `outputs` (the job's `./outputs` folder) since the store also holds its logs.
 */
export function chooseJobOutput(request: JobOutputRequest): ChosenJobOutput {
  const { job, outputs, output: requestedOutput, path: requestedPath } = request;
  const jobName = checkReferenceName(job.value, "job name", job.source);
  const declared = declaredOutputs(outputs);
  const path = (fallback: string) => (requestedPath ? checkPathInOutput(requestedPath.value, requestedPath.source) : fallback);
  const chosen = (outputName: string, pathInOutput: string, reason: string): ChosenJobOutput => ({
    outputName,
    pathInOutput,
    uri: jobOutputUri(jobName, outputName, pathInOutput),
    reason: logSafe(reason),
  });

  if (requestedOutput) {
    const name = checkReferenceName(requestedOutput.value, "job output name", requestedOutput.source);
    if (name === artifactsOutputName || name === systemOutputName) {
      return chosen(artifactsOutputName, path(""), `Output '${artifactsOutputName}' (the job's artifact store) as ${requestedOutput.source} asks.`);
    }
    if (!declared.includes(name)) {
      const known = declared.length > 0 ? `its outputs are ${listed(declared)}` : "it declares no output";
      throw inputError(
        `${capitalized(requestedOutput.source)} names output '${name}', but job '${jobName}' has no such output: ${known}, or '${artifactsOutputName}' for the files it wrote under ./outputs.`,
      );
    }
    return chosen(name, path(""), `Output '${name}' as ${requestedOutput.source} asks.`);
  }

  if (declared.length === 1) {
    return chosen(declared[0], path(""), `Output '${declared[0]}', the only output job '${jobName}' declares.`);
  }
  const modelTyped = declared.filter((name) => modelOutputTypes.has(outputs[name]?.jobOutputType?.toLowerCase() ?? ""));
  if (modelTyped.length === 1) {
    return chosen(modelTyped[0], path(""), `Output '${modelTyped[0]}', the only model-typed one of job '${jobName}''s outputs ${listed(declared)}.`);
  }
  const why =
    declared.length === 0
      ? `job '${jobName}' declares no output`
      : `job '${jobName}' declares several outputs (${listed(declared)}) and none is the only model-typed one; set ${request.outputInput} to use one`;
  const pathInOutput = path("outputs");
  return chosen(artifactsOutputName, pathInOutput, `The job's artifact store, path '${pathInOutput || "/"}', since ${why}.`);
}
