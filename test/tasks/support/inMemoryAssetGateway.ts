import * as fs from "node:fs";
import type { CodeVersion, EnvironmentVersion, ModelVersion } from "@azure/arm-machinelearning";
import type { UploadTarget } from "../../../tasks/common/src/upload";
import type { AssetGateway, UploadDatastore } from "../../../tasks/common/src/assets/assetGateway";

/** The in-memory workspace's assets, kept in a JSON file so a task run in a child process and its test share them. */
export interface InMemoryAssetsState {
  /** The default datastore's name. */
  datastore: string;
  /** Blobs of the default datastore's container: name → metadata. */
  blobs: Record<string, Record<string, string>>;
  /** "name:version" → body. */
  codes: Record<string, CodeVersion>;
  /** "name:version" → body and creation order. */
  environments: Record<string, { body: EnvironmentVersion; created: number }>;
  /** "name:version" → body and creation order. */
  models: Record<string, { body: ModelVersion; created: number }>;
  /** "<job>/<relative path>" → text: what jobs wrote to their artifacts. */
  artifacts: Record<string, string>;
  /**
   * Every call, in order: getEnvironment, latestEnvironment, createEnvironment, getCode, createCode, getModel,
   * latestModel, createModel, openDatastore, readMetadata, upload, setMetadata, readArtifact.
   */
  calls: Array<{ operation: string; target: string }>;
}

export const assetsStateFileVariable = "IN_MEMORY_ASSETS_STATE";
export const containerUrl = "https://sainmemory.blob.core.windows.net/azureml-blobstore-0000";

export function emptyAssetsState(): InMemoryAssetsState {
  return { datastore: "workspaceblobstore", blobs: {}, codes: {}, environments: {}, models: {}, artifacts: {}, calls: [] };
}

export function readAssetsState(file: string): InMemoryAssetsState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryAssetsState;
}

/** The newest of the versions stored under `name:` (by creation order). */
function newest<T extends { created: number }>(versions: Record<string, T>, name: string): string | undefined {
  const found = Object.entries(versions).filter(([key]) => key.startsWith(`${name}:`));
  found.sort((a, b) => b[1].created - a[1].created);
  return found[0]?.[0].slice(name.length + 1);
}

/** The next creation number: one more than any version of any asset has. */
function nextCreated(state: InMemoryAssetsState): number {
  return Math.max(0, ...[...Object.values(state.environments), ...Object.values(state.models ?? {})].map((stored) => stored.created)) + 1;
}

/**
 * A stateful twin of the workspace's code, environment and model versions and default datastore, in
 * place of AzureAssetGateway (its constructor takes and ignores the same arguments). Uploads
 * keep blob names and metadata, not content.
 */
export class InMemoryAssetGateway implements AssetGateway {
  private readonly file: string;

  constructor(...ignored: unknown[]) {
    void ignored;
    const file = process.env[assetsStateFileVariable];
    if (!file) throw new Error(`${assetsStateFileVariable} is not set`);
    this.file = file;
  }

  private update<T>(operation: string, target: string, change: (state: InMemoryAssetsState) => T): Promise<T> {
    const state = readAssetsState(this.file);
    state.calls.push({ operation, target });
    try {
      return Promise.resolve(change(state));
    } finally {
      fs.writeFileSync(this.file, JSON.stringify(state, null, 2));
    }
  }

  getEnvironmentVersion(name: string, version: string): Promise<EnvironmentVersion | undefined> {
    return this.update("getEnvironment", `${name}:${version}`, (state) => state.environments[`${name}:${version}`]?.body);
  }

  latestEnvironmentVersion(name: string): Promise<string | undefined> {
    return this.update("latestEnvironment", name, (state) => newest(state.environments, name));
  }

  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion> {
    return this.update("createEnvironment", `${name}:${version}`, (state) => {
      state.environments[`${name}:${version}`] = { body, created: nextCreated(state) };
      return body;
    });
  }

  getCodeVersion(name: string, version: string): Promise<CodeVersion | undefined> {
    return this.update("getCode", `${name}:${version}`, (state) => state.codes[`${name}:${version}`]);
  }

  createCodeVersion(name: string, version: string, body: CodeVersion): Promise<CodeVersion> {
    return this.update("createCode", `${name}:${version}`, (state) => {
      state.codes[`${name}:${version}`] = body;
      return body;
    });
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.update("getModel", `${name}:${version}`, (state) => state.models[`${name}:${version}`]?.body);
  }

  latestModelVersion(name: string): Promise<string | undefined> {
    return this.update("latestModel", name, (state) => newest(state.models, name));
  }

  createModelVersion(name: string, version: string, body: ModelVersion): Promise<ModelVersion> {
    return this.update("createModel", `${name}:${version}`, (state) => {
      // A version's files cannot change: the service refuses a PUT that changes an existing one.
      const existing = state.models[`${name}:${version}`];
      if (existing && existing.body.properties.modelUri !== body.properties.modelUri) {
        throw Object.assign(new Error(`Model ${name}:${version} exists with other files.`), { statusCode: 409 });
      }
      state.models[`${name}:${version}`] = { body, created: nextCreated(state) };
      return body;
    });
  }

  async defaultDatastore(): Promise<UploadDatastore> {
    const name = await this.update("openDatastore", "default", (state) => state.datastore);
    const target: UploadTarget = {
      location: containerUrl,
      readMetadata: (blob) => this.update("readMetadata", blob, (state) => state.blobs[blob]),
      uploadFile: async (blob, file, onBytes) => {
        await this.update("upload", blob, (state) => (state.blobs[blob] = {}));
        onBytes(file.size);
      },
      setMetadata: (blob, metadata) =>
        this.update("setMetadata", blob, (state) => {
          state.blobs[blob] = { ...metadata };
        }),
    };
    return { name, target };
  }

  readJobArtifact(jobName: string, relativePath: string): Promise<string | undefined> {
    return this.update("readArtifact", `${jobName}/${relativePath}`, (state) => state.artifacts[`${jobName}/${relativePath}`]);
  }
}
