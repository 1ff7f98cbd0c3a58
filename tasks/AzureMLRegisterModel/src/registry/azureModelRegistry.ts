import type { ModelVersion } from "@azure/arm-machinelearning";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { openDatastoreContainer } from "../../../common/src/azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../common/src/azure/clients/machineLearningControlPlane";
import { describing } from "../../../common/src/errors/azureError";
import { InputError } from "../../../common/src/errors/inputError";
import { jobArtifactsPath, joinDatastorePath } from "../../../common/src/jobs/datastorePaths";
import { JobOutputFiles } from "../../../common/src/jobs/jobOutputFiles";
import { containerUploadTarget, formatBytes, snapshotPath, uploadSnapshot } from "../../../common/src/upload";
import type { ModelRegistry, NewModelVersion, RegisteredVersion, UploadedModelFiles } from "./modelRegistry";

/** Model versions on the Azure ML control plane (2022-10-01), job artifacts and uploads on the workspace's datastores. */
export class AzureModelRegistry implements ModelRegistry {
  private readonly controlPlane: MachineLearningControlPlane;
  private readonly files: JobOutputFiles;

  constructor(
    private readonly session: AzureSession,
    private readonly workspace: WorkspaceScope,
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
    this.files = new JobOutputFiles(session, this.controlPlane);
  }

  async listVersions(modelName: string): Promise<RegisteredVersion[]> {
    const versions = await describing(`Listing the versions of model '${modelName}'`, () => this.controlPlane.listModelVersions(modelName));
    return versions.map(toRegisteredVersion);
  }

  async getVersion(modelName: string, version: string): Promise<RegisteredVersion | undefined> {
    const found = await describing(`Reading version ${version} of model '${modelName}'`, () => this.controlPlane.getModelVersion(modelName, version));
    return found ? toRegisteredVersion(found) : undefined;
  }

  async createVersion(modelName: string, version: string, body: NewModelVersion): Promise<RegisteredVersion> {
    const created = await describing(`Registering version ${version} of model '${modelName}'`, () =>
      this.controlPlane.createModelVersion(modelName, version, {
        properties: {
          modelUri: body.modelUri,
          modelType: body.modelType,
          ...(body.jobName ? { jobName: body.jobName } : {}),
          ...(body.description ? { description: body.description } : {}),
          tags: body.tags,
          properties: body.properties,
          isAnonymous: false,
          isArchived: false,
        },
      }),
    );
    return toRegisteredVersion({ ...created, name: created.name ?? version });
  }

  readJobArtifact(jobName: string, pathInArtifacts: string, maxBytes: number): Promise<Uint8Array | undefined> {
    return this.files.readFile(joinDatastorePath(jobArtifactsPath(jobName), pathInArtifacts), maxBytes);
  }

  async uploadLocal(localPath: string, modelName: string): Promise<UploadedModelFiles> {
    const snapshot = await snapshotPath(localPath, `the model "${localPath}"`);
    const datastore = await describing(`Reading the default datastore of workspace '${this.workspace.name}'`, () => this.controlPlane.getDefaultDatastore());
    if (!datastore?.name) throw new InputError(`Workspace '${this.workspace.name}' has no default datastore to upload the model to.`);
    const name = datastore.name;
    const target = containerUploadTarget(await openDatastoreContainer(this.session, this.controlPlane, datastore, name));
    // The files go up before the version is decided (their URI decides whether a version already
    // holds them), so the completion mark names the model, not a version.
    const result = await uploadSnapshot(target, snapshot, { assetName: modelName, assetVersion: "unversioned" });
    const line = result.uploaded
      ? `Model files uploaded: ${result.files} file(s), ${formatBytes(result.bytes)} to ${result.prefix} in datastore '${name}'.`
      : `Model files unchanged: reusing ${result.prefix} in datastore '${name}'.`;
    return { uri: `azureml://datastores/${name}/paths/${result.prefix}`, line };
  }
}

function toRegisteredVersion(model: ModelVersion): RegisteredVersion {
  const properties = model.properties;
  const createdAt = model.systemData?.createdAt;
  return {
    version: model.name ?? "",
    id: model.id ?? "",
    ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
    tags: definedValues(properties.tags),
    properties: definedValues(properties.properties),
    isArchived: properties.isArchived ?? false,
    ...(properties.jobName ? { jobName: properties.jobName } : {}),
    ...(properties.modelUri ? { modelUri: properties.modelUri } : {}),
    ...(properties.modelType ? { modelType: properties.modelType } : {}),
    ...(properties.description ? { description: properties.description } : {}),
  };
}

function definedValues(record: Record<string, string | null> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (typeof value === "string") Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
