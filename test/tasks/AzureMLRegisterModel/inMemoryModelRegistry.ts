import * as fs from "node:fs";
import type { WorkspaceScope } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
// Not the upload index: its storage client side loads task-lib, which must not read the inputs
// before the scenario sets them.
import { uploadLayout } from "../../../tasks/common/src/upload/datastoreUpload";
import { snapshotPath } from "../../../tasks/common/src/upload/folderSnapshot";
import type { ModelRegistry, NewModelVersion, RegisteredVersion, UploadedModelFiles } from "../../../tasks/AzureMLRegisterModel/src/registry/modelRegistry";

/** One stored model version, as the in-memory Azure ML keeps it. */
export interface StoredVersion {
  modelUri: string;
  modelType: string;
  jobName?: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  isArchived?: boolean;
  /** ISO time (systemData.createdAt). */
  createdAt?: string;
}

/** The in-memory Azure ML's models, job artifacts and uploads, in a JSON file shared by a task run and its test. */
export interface InMemoryModelsState {
  /** model name → version → version. */
  models: Record<string, Record<string, StoredVersion>>;
  /** `<job>/<path in its artifact store>` → file text. */
  artifacts: Record<string, string>;
  /** Blob prefixes uploaded to the default datastore (`LocalUpload/<hash>/<name>`) → number of files. */
  uploads: Record<string, number>;
  /** Every call made, in order. */
  calls: Array<{ operation: string; target: string }>;
}

export const modelsStateFileVariable = "IN_MEMORY_MODELS_STATE";
export const defaultDatastore = "workspaceblobstore";

export function emptyModelsState(): InMemoryModelsState {
  return { models: {}, artifacts: {}, uploads: {}, calls: [] };
}

export function readModelsState(file: string): InMemoryModelsState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryModelsState;
}

/**
 * A stateful twin of Azure ML's model registry for task tests, in place of AzureModelRegistry
 * (same constructor arguments). A version PUT over an existing one is refused, as the service
 * refuses to change a version's files; creation times follow the order of registration.
 */
export class InMemoryModelRegistry implements ModelRegistry {
  private readonly file: string;
  private readonly workspaceId: string;

  constructor(session: unknown, workspace: WorkspaceScope) {
    void session;
    const file = process.env[modelsStateFileVariable];
    if (!file) throw new Error(`${modelsStateFileVariable} is not set`);
    this.file = file;
    this.workspaceId = `/subscriptions/${workspace.subscriptionId}/resourceGroups/${workspace.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspace.name}`;
  }

  private update<T>(operation: string, target: string, change: (state: InMemoryModelsState) => T): T {
    const state = readModelsState(this.file);
    state.calls.push({ operation, target });
    try {
      return change(state);
    } finally {
      fs.writeFileSync(this.file, JSON.stringify(state, null, 2));
    }
  }

  private toVersion(name: string, version: string, stored: StoredVersion): RegisteredVersion {
    return {
      version,
      id: `${this.workspaceId}/models/${name}/versions/${version}`,
      ...(stored.createdAt ? { createdAt: new Date(stored.createdAt) } : {}),
      tags: stored.tags,
      properties: stored.properties,
      isArchived: stored.isArchived ?? false,
      modelUri: stored.modelUri,
      modelType: stored.modelType,
      ...(stored.jobName ? { jobName: stored.jobName } : {}),
      ...(stored.description ? { description: stored.description } : {}),
    };
  }

  async listVersions(modelName: string): Promise<RegisteredVersion[]> {
    await Promise.resolve();
    return this.update("listVersions", modelName, (state) =>
      Object.entries(state.models[modelName] ?? {}).map(([version, stored]) => this.toVersion(modelName, version, stored)),
    );
  }

  async getVersion(modelName: string, version: string): Promise<RegisteredVersion | undefined> {
    await Promise.resolve();
    return this.update("getVersion", `${modelName}:${version}`, (state) => {
      const stored = state.models[modelName]?.[version];
      return stored ? this.toVersion(modelName, version, stored) : undefined;
    });
  }

  async createVersion(modelName: string, version: string, body: NewModelVersion): Promise<RegisteredVersion> {
    await Promise.resolve();
    return this.update("createVersion", `${modelName}:${version}`, (state) => {
      const versions = (state.models[modelName] ??= {});
      if (versions[version]) throw Object.assign(new Error(`Version ${version} of model '${modelName}' exists and cannot change.`), { statusCode: 409 });
      const count = Object.values(state.models).reduce((sum, v) => sum + Object.keys(v).length, 0);
      versions[version] = { ...body, createdAt: new Date(Date.UTC(2026, 0, 1, 0, count)).toISOString() };
      return this.toVersion(modelName, version, versions[version]);
    });
  }

  async readJobArtifact(jobName: string, pathInArtifacts: string, maxBytes: number): Promise<Uint8Array | undefined> {
    await Promise.resolve();
    return this.update("readJobArtifact", `${jobName}/${pathInArtifacts}`, (state) => {
      const text = state.artifacts[`${jobName}/${pathInArtifacts}`];
      return text === undefined ? undefined : Buffer.from(text, "utf8").subarray(0, maxBytes + 1);
    });
  }

  async uploadLocal(localPath: string, modelName: string): Promise<UploadedModelFiles> {
    void modelName;
    const snapshot = await snapshotPath(localPath, `the model "${localPath}"`);
    const { prefix } = uploadLayout(snapshot);
    return this.update("uploadLocal", prefix, (state) => {
      const found = state.uploads[prefix] !== undefined;
      if (!found) state.uploads[prefix] = snapshot.files.length;
      const line = found ? `Model files unchanged: reusing ${prefix}.` : `Model files uploaded: ${snapshot.files.length} file(s) to ${prefix}.`;
      return { uri: `azureml://datastores/${defaultDatastore}/paths/${prefix}`, line };
    });
  }
}
