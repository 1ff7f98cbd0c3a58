import * as fs from "node:fs";
import * as path from "node:path";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../common/src/azure/clients/machineLearningControlPlane";
import { describing } from "../../../common/src/errors/azureError";
import { InputError } from "../../../common/src/errors/inputError";
import { DatastorePath, jobArtifactsPath, joinDatastorePath, parseDatastoreUri } from "../../../common/src/jobs/datastorePaths";
import { JobOutputFiles } from "../../../common/src/jobs/jobOutputFiles";
import { quoted } from "../../../common/src/text/printable";
import type { DownloadedModel, ModelFileSource, ModelVersionReference } from "./modelFileSource";

/** Files downloaded at once: enough to hide the latency of many small files, few enough for a busy agent. */
const parallelDownloads = 4;

/**
 * A model version's files from the workspace's datastores, signed as each datastore allows. The
 * version's `modelUri` is a datastore path (`azureml://datastores/<ds>/paths/<p>`, or its long
 * form naming the workspace), a job output (`azureml://jobs/<job>/outputs/<out>/paths/<p>`, where
 * `artifacts` is the job's artifact store) or an MLflow run artifact (`runs:/<job>/<p>`).
 */
export class AzureModelFiles implements ModelFileSource {
  private readonly controlPlane: MachineLearningControlPlane;
  private readonly files: JobOutputFiles;

  constructor(
    session: AzureSession,
    private readonly workspace: WorkspaceScope,
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
    this.files = new JobOutputFiles(session, this.controlPlane);
  }

  async download(model: ModelVersionReference, folder: string): Promise<DownloadedModel> {
    const label = `${model.name}:${model.version}`;
    const version = await describing(`Reading version ${model.version} of model '${model.name}'`, () =>
      this.controlPlane.getModelVersion(model.name, model.version),
    );
    if (!version) throw new InputError(`Model ${label} does not exist in workspace '${this.workspace.name}'.`);
    const modelUri = version.properties.modelUri;
    if (!modelUri) throw new InputError(`Model ${label} has no modelUri: Azure ML records no files for it.`);
    const location = await this.locate(modelUri, label);
    const topName = path.posix.basename(location.path);
    if (!topName) throw new InputError(`Model ${label}'s modelUri ${quoted(modelUri)} names a whole datastore, not a file or folder.`);
    fs.mkdirSync(folder, { recursive: true });
    if (await this.files.isFile(location)) {
      const bytes = await this.files.downloadFile(location, path.join(folder, topName));
      return { topName, files: [topName], bytes };
    }
    const names = await this.files.list(location);
    if (names.length === 0) throw new InputError(`Model ${label}: no files at ${quoted(modelUri)} ('${location.path}' in datastore '${location.datastore}').`);
    const files = names.map((name) => `${topName}/${safeRelativePath(name, modelUri)}`);
    let bytes = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const index = next++;
        const local = path.join(folder, ...files[index].split("/"));
        fs.mkdirSync(path.dirname(local), { recursive: true });
        // Awaited before adding: `bytes += await …` would read `bytes` before another worker's sum lands.
        const size = await this.files.downloadFile(joinDatastorePath(location, names[index]), local);
        bytes += size;
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelDownloads, names.length) }, worker));
    return { topName, files: [...files].sort(), bytes };
  }

  /** Where the model's files are: a datastore and a path in its container. */
  private async locate(modelUri: string, label: string): Promise<DatastorePath> {
    const uri = modelUri.trim();
    if (
      /^azureml:\/\/(subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\//i.test(
        uri,
      )
    ) {
      return parseDatastoreUri(uri.replace(/\/providers\/Microsoft\.MachineLearningServices\//i, "/"));
    }
    const job = /^azureml:\/\/jobs\/([^/]+)\/outputs\/([^/]+)(?:\/paths(?:\/(.*))?)?$/i.exec(uri);
    if (job) return joinDatastorePath(await this.jobOutputRoot(job[1], job[2], label), job[3] ?? "");
    const run = /^runs:\/([^/]+)\/(.*)$/.exec(uri);
    if (run) return joinDatastorePath(jobArtifactsPath(run[1]), run[2]);
    throw new InputError(
      `Model ${label}'s files are at ${quoted(uri)}, which is not in a datastore of the workspace (azureml://datastores/…, azureml://jobs/…/outputs/…); the Docker context downloads from the workspace's datastores only.`,
    );
  }

  /** A job output's root folder: the artifact store for `artifacts`, else where the job says the output is, else its default place. */
  private async jobOutputRoot(jobName: string, outputName: string, label: string): Promise<DatastorePath> {
    if (outputName === "artifacts" || outputName === "default") return jobArtifactsPath(jobName);
    const job = await describing(`Reading job '${jobName}'`, () => this.controlPlane.getJob(jobName));
    if (!job) throw new InputError(`Model ${label} comes from job '${jobName}', which no longer exists in workspace '${this.workspace.name}'.`);
    const outputs = (job.properties as { outputs?: Record<string, { uri?: string } | null> }).outputs ?? {};
    const output = outputs[outputName];
    if (!output) throw new InputError(`Model ${label} comes from output '${outputName}' of job '${jobName}', which has no such output.`);
    if (output.uri) return parseDatastoreUri(output.uri);
    // An output without a path lives where Azure ML puts it by default (NOTES §3).
    const datastore = await describing(`Reading the default datastore of workspace '${this.workspace.name}'`, () => this.controlPlane.getDefaultDatastore());
    return { datastore: datastore?.name ?? "workspaceblobstore", path: `azureml/${jobName}/${outputName}` };
  }
}

/** A blob name under the model's folder, refused when it would climb out of the folder it is written to. */
function safeRelativePath(name: string, modelUri: string): string {
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.length === 0 || segments.includes(".."))
    throw new InputError(`The model files at ${quoted(modelUri)} include the blob name ${quoted(name)}, which is not a path inside the model's folder.`);
  return segments.join("/");
}
