import type { ModelType } from "../../../common/src/azureml/modelFile";
import type { JobGateway } from "../../../common/src/jobs/jobGateway";
import { InputError } from "../../../common/src/errors/inputError";
import type { SourcedValue } from "../../../common/src/settings/sourcedValue";
import { quoted } from "../../../common/src/text/printable";
import type { RegisteredSource } from "../report/registrationSummary";
import type { ModelRegistry } from "../registry/modelRegistry";
import { type ModelSource, modelTypes } from "../settings/registerSettings";
import { capitalized, logSafe } from "../../../common/src/text/sentence";
import { chooseJobOutput, type JobOutputs } from "./defaultJobOutput";
import { jobOutputUri } from "./jobOutputPath";

/** Where the new version's files are, as the service takes them, and where they came from. */
export interface ResolvedSource {
  /** The version's `modelUri`. */
  modelUri: string;
  /** The job that produced the model, recorded as the version's `jobName`. */
  jobName?: string;
  /** The type of the job output that is the model, when the whole output is and it is typed as one. */
  outputModelType?: ModelType;
  summary: RegisteredSource;
}

/**
 * The job must exist and be Completed: a Running job's outputs are not all written yet, and a
 * Failed or Canceled one's model is not one to register.
 */
export async function completedJob(jobs: JobGateway, job: SourcedValue, workspaceName: string): Promise<JobOutputs> {
  const state = await jobs.get(job.value);
  if (!state) throw new InputError(logSafe(`Job '${job.value}' (${job.source}) does not exist in workspace '${workspaceName}'.`));
  if (state.status !== "Completed") {
    throw new InputError(logSafe(`Job '${job.value}' (${job.source}) is ${state.status}, not Completed: a model from a job that is not Completed is refused.`));
  }
  const outputs: JobOutputs = {};
  for (const [name, output] of Object.entries(state.outputs)) outputs[name] = { jobOutputType: output.type };
  return outputs;
}

/**
 * Turns the model source into the version's `modelUri`: a job output's `azureml://jobs/…` URI
 * (the job checked first), a local file or folder uploaded to the default datastore, or a model
 * file's path. Lines worth a log line go to `log`.
 */
export async function resolveSource(
  source: ModelSource,
  context: { jobs: JobGateway; registry: ModelRegistry; workspaceName: string; modelName: string; log: (line: string) => void },
): Promise<ResolvedSource> {
  const { jobs, registry, workspaceName, modelName, log } = context;
  switch (source.kind) {
    case "jobOutput": {
      const outputs = await completedJob(jobs, source.job, workspaceName);
      const chosen = chooseJobOutput({ job: source.job, outputs, output: source.output, path: source.path, outputInput: "input 'jobOutput'" });
      log(chosen.reason);
      const outputType = outputs[chosen.outputName]?.jobOutputType?.toLowerCase();
      const outputModelType = chosen.pathInOutput === "" ? modelTypes.find((type) => type === outputType) : undefined;
      return {
        modelUri: chosen.uri,
        jobName: source.job.value,
        ...(outputModelType ? { outputModelType } : {}),
        summary: { kind: "job", jobName: source.job.value, outputName: chosen.outputName, pathInOutput: chosen.pathInOutput, uri: chosen.uri },
      };
    }
    case "localPath": {
      const uploaded = await registry.uploadLocal(source.path.value, modelName);
      log(uploaded.line);
      return { modelUri: uploaded.uri, summary: { kind: "local", path: source.path.value } };
    }
    case "modelFile": {
      const file = source.spec.file;
      const where = source.path;
      if (where.kind === "local") {
        const uploaded = await registry.uploadLocal(where.path, modelName);
        log(uploaded.line);
        return { modelUri: uploaded.uri, summary: { kind: "modelFile", file, path: where.path } };
      }
      if (where.kind === "jobOutput") {
        const job = { value: where.job, source: `the 'path' of model file ${quoted(file)}` };
        const outputs = await completedJob(jobs, job, workspaceName);
        if (where.output !== "artifacts" && !Object.prototype.hasOwnProperty.call(outputs, where.output)) {
          throw new InputError(logSafe(`${capitalized(job.source)} names output '${where.output}', but job '${where.job}' has no such output.`));
        }
        const uri = jobOutputUri(where.job, where.output, where.path);
        return { modelUri: uri, jobName: where.job, summary: { kind: "modelFile", file, path: uri } };
      }
      return { modelUri: where.uri, summary: { kind: "modelFile", file, path: where.uri } };
    }
  }
}
