import type { CodeVersion, EnvironmentVersion, ModelVersion } from "@azure/arm-machinelearning";
import type { UploadTarget } from "../upload";

/** The workspace's default datastore, ready to receive uploads. */
export interface UploadDatastore {
  /** Its name, e.g. workspaceblobstore: uploaded paths are `azureml://datastores/<name>/paths/…`. */
  name: string;
  target: UploadTarget;
}

/**
 * The Azure calls a task makes about the workspace's assets: code, environment and model
 * versions, the default datastore, and the files a job wrote. AzureMLTrain prepares a job with
 * them, AzureMLDeploy a deployment. `AzureAssetGateway` makes them on Azure ML; task tests use an
 * in-memory twin. Failed calls are AzureOperationErrors that say what was being done.
 */
export interface AssetGateway {
  getEnvironmentVersion(name: string, version: string): Promise<EnvironmentVersion | undefined>;
  /** The newest version of an environment (by creation time), or undefined when it has none. */
  latestEnvironmentVersion(name: string): Promise<string | undefined>;
  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion>;
  getCodeVersion(name: string, version: string): Promise<CodeVersion | undefined>;
  createCodeVersion(name: string, version: string, body: CodeVersion): Promise<CodeVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion | undefined>;
  /** The newest version of a model (by creation time), or undefined when it has none. */
  latestModelVersion(name: string): Promise<string | undefined>;
  createModelVersion(name: string, version: string, body: ModelVersion): Promise<ModelVersion>;
  /** The workspace's default datastore, with credentials to write to it (opened once). */
  defaultDatastore(): Promise<UploadDatastore>;
  /** A file of the job's artifacts (e.g. `outputs/metrics.json`) as text, or undefined when it wrote none. */
  readJobArtifact(jobName: string, relativePath: string, maxBytes: number): Promise<string | undefined>;
}
