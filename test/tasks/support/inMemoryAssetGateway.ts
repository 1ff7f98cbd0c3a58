import * as fs from "node:fs";
import type { CodeVersion, EnvironmentVersion } from "@azure/arm-machinelearning";
import type { UploadTarget } from "../../../tasks/common/src/upload";
import type { AssetGateway, UploadDatastore } from "../../../tasks/AzureMLTrain/src/submission/assetGateway";

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
  /** "<job>/<relative path>" → text: what jobs wrote to their artifacts. */
  artifacts: Record<string, string>;
  /** Every call, in order: getEnvironment, latestEnvironment, createEnvironment, getCode, createCode, openDatastore, readMetadata, upload, setMetadata, readArtifact. */
  calls: Array<{ operation: string; target: string }>;
}

export const assetsStateFileVariable = "IN_MEMORY_ASSETS_STATE";
export const containerUrl = "https://sainmemory.blob.core.windows.net/azureml-blobstore-0000";

export function emptyAssetsState(): InMemoryAssetsState {
  return { datastore: "workspaceblobstore", blobs: {}, codes: {}, environments: {}, artifacts: {}, calls: [] };
}

export function readAssetsState(file: string): InMemoryAssetsState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryAssetsState;
}

/**
 * A stateful twin of the workspace's code and environment versions and default datastore, in
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
    return this.update("latestEnvironment", name, (state) => {
      const versions = Object.entries(state.environments).filter(([key]) => key.startsWith(`${name}:`));
      versions.sort((a, b) => b[1].created - a[1].created);
      return versions[0]?.[0].slice(name.length + 1);
    });
  }

  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion> {
    return this.update("createEnvironment", `${name}:${version}`, (state) => {
      state.environments[`${name}:${version}`] = { body, created: Object.keys(state.environments).length + 1 };
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
