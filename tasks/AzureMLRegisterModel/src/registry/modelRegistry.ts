import type { ModelType } from "../../../common/src/azureml/modelFile";
import type { ModelVersionInfo, ModelVersionSource } from "../gate/modelVersions";

/** A model version as the task reads it back (ModelVersion, api-version 2022-10-01). */
export interface RegisteredVersion extends ModelVersionInfo {
  /** The version's resource id, `…/workspaces/<ws>/models/<name>/versions/<version>`. */
  id: string;
  modelUri?: string;
  modelType?: string;
  description?: string;
}

/** What the task writes as a new version's `properties`. */
export interface NewModelVersion {
  /** `azureml://jobs/…`, `azureml://datastores/…/paths/…` or a storage URL. */
  modelUri: string;
  modelType: ModelType;
  /** The job that produced the model (ModelVersion.jobName). */
  jobName?: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
}

/** Where a local file or folder went. */
export interface UploadedModelFiles {
  /** `azureml://datastores/<default datastore>/paths/LocalUpload/<hash>/<name>`. */
  uri: string;
  /** One line for the log: uploaded, or the same content found and reused. */
  line: string;
}

/**
 * The Azure calls the task makes about models, and nothing else (jobs go through JobGateway).
 * `AzureModelRegistry` makes them on Azure ML; task tests use a file-backed in-memory twin.
 */
export interface ModelRegistry extends ModelVersionSource {
  /** Every version of the model (newest or not, archived too); none when the model does not exist. */
  listVersions(modelName: string): Promise<RegisteredVersion[]>;
  getVersion(modelName: string, version: string): Promise<RegisteredVersion | undefined>;
  createVersion(modelName: string, version: string, body: NewModelVersion): Promise<RegisteredVersion>;
  /** A file of the job's artifact store (what it wrote under `./outputs`), at most `maxBytes`; undefined when absent. */
  readJobArtifact(jobName: string, pathInArtifacts: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** Uploads a local file or folder to the default datastore, content-addressed (unchanged content is not sent again). */
  uploadLocal(localPath: string, modelName: string): Promise<UploadedModelFiles>;
}
