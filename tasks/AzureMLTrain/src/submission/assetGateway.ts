import type { CodeVersion, EnvironmentVersion } from "@azure/arm-machinelearning";
import type { UploadTarget } from "../../../common/src/upload";

/** The workspace's default datastore, ready to receive uploads. */
export interface UploadDatastore {
  /** Its name, e.g. workspaceblobstore: uploaded paths are `azureml://datastores/<name>/paths/…`. */
  name: string;
  target: UploadTarget;
}

/**
 * The Azure calls the task makes to prepare a job, besides the job itself (JobGateway): code and
 * environment versions, the default datastore, and the metrics a job wrote. `AzureAssetGateway`
 * makes them on Azure ML; task tests use an in-memory twin. Failed calls are AzureOperationErrors
 * that say what was being done.
 */
export interface AssetGateway {
  getEnvironmentVersion(name: string, version: string): Promise<EnvironmentVersion | undefined>;
  /** The newest version of an environment (by creation time), or undefined when it has none. */
  latestEnvironmentVersion(name: string): Promise<string | undefined>;
  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion>;
  getCodeVersion(name: string, version: string): Promise<CodeVersion | undefined>;
  createCodeVersion(name: string, version: string, body: CodeVersion): Promise<CodeVersion>;
  /** The workspace's default datastore, with credentials to write to it (opened once). */
  defaultDatastore(): Promise<UploadDatastore>;
  /** The job's `outputs/metrics.json` artifact as text, or undefined when it wrote none. */
  readJobArtifact(jobName: string, relativePath: string, maxBytes: number): Promise<string | undefined>;
}
