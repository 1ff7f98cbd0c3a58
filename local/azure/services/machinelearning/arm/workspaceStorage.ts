import * as fs from "node:fs";
import * as path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { userError } from "../../../arm/armErrors";
import { storageAccountKeys } from "../../../arm/providers/storageAccounts";
import { isJsonObject, JsonObject, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { StorageBackend } from "../../../storage/storageBackend";
import { datastoreType } from "./workspaceIds";

/** A file or folder in one of a workspace's blob datastores. */
export interface BlobLocation {
  datastore: string;
  accountName: string;
  containerName: string;
  /** Inside the container, without leading or trailing `/`; "" is the whole container. */
  path: string;
}

/** A file to upload: its path under the destination folder and where it is here. */
export interface UploadFile {
  relativePath: string;
  localPath: string;
}

/** Where Azure ML keeps a job's artifacts (`./outputs`, `./logs`, `user_logs/`): the artifact store. */
export const artifactStoreName = "workspaceartifactstore";
export const defaultDatastoreName = "workspaceblobstore";

export function jobArtifactsFolder(jobName: string): string {
  return `ExperimentRun/dcid.${jobName}`;
}

/** What a job output reference resolves to: the URI of the output's root folder, if the job has that output. */
export type JobOutputResolver = (jobName: string, outputName: string) => string | undefined;

/** A path inside a container, `.` and empty segments dropped, `..` refused; URIs are decoded, blob and file names are not. */
function cleanPath(value: string, decode = true): string {
  let text = value;
  if (decode) {
    try {
      text = decodeURIComponent(value);
    } catch {
      throw userError(`The path '${value}' is not validly percent-encoded.`);
    }
  }
  const segments = text.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw userError(`The path '${value}' may not hold '..' segments.`);
  return segments.join("/");
}

function joinPaths(...parts: string[]): string {
  return parts.filter((part) => part !== "").join("/");
}

/**
 * The blob datastores of one workspace as the resource provider reaches them: URIs in the forms
 * Azure ML takes (`azureml://datastores/<ds>/paths/<p>`, its long form naming the workspace,
 * the form the service writes for a job's artifacts without `paths/`, `azureml://jobs/<job>/outputs/<out>/paths/<p>`,
 * MLflow's `runs:/<job>/<path>` for a job's artifacts, and https URLs of a datastore's container) resolved to a container and a path; then listed,
 * downloaded and written with the account key.
 */
export class WorkspaceStorage {
  constructor(
    readonly store: ResourceStore,
    private readonly storage: StorageBackend,
    private readonly workspace: StoredResource,
  ) {}

  private datastores(): StoredResource[] {
    return this.store.under(this.workspace.id).filter((resource) => resource.type === datastoreType);
  }

  private blobDatastore(name: string): { resource: StoredResource; properties: JsonObject } {
    const resource = this.datastores().find((candidate) => textOf(candidate.body.name).toLowerCase() === name.toLowerCase());
    if (!resource) throw userError(`The workspace '${textOf(this.workspace.body.name)}' has no datastore '${name}'.`);
    const properties = isJsonObject(resource.body.properties) ? resource.body.properties : {};
    if (properties.datastoreType !== "AzureBlob")
      throw userError(`Datastore '${name}' is of type ${textOf(properties.datastoreType)}; the local Azure reads and writes Azure Blob datastores only.`);
    return { resource, properties };
  }

  /** The location of `relativePath` in datastore `name`. */
  inDatastore(name: string, relativePath: string): BlobLocation {
    const { resource, properties } = this.blobDatastore(name);
    return {
      datastore: textOf(resource.body.name),
      accountName: textOf(properties.accountName),
      containerName: textOf(properties.containerName),
      path: cleanPath(relativePath),
    };
  }

  /** Resolves a URI to a datastore location; refuses, as one sentence, a form or a datastore it does not know. */
  locate(uri: string, jobOutput?: JobOutputResolver): BlobLocation {
    const trimmed = uri.trim();
    const datastoreForm =
      /^azureml:\/\/(?:subscriptions\/([^/]+)\/resource[gG]roups\/([^/]+)\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/([^/]+)\/)?datastores\/([^/]+)(?:\/paths)?(?:\/(.*))?$/i.exec(
        trimmed,
      );
    if (datastoreForm) {
      const [, , , workspaceName, datastore, rest = ""] = datastoreForm;
      if (workspaceName && workspaceName.toLowerCase() !== textOf(this.workspace.body.name).toLowerCase()) {
        throw userError(
          `The URI '${uri}' names workspace '${workspaceName}'; only datastores of workspace '${textOf(this.workspace.body.name)}' can be used here.`,
        );
      }
      return this.inDatastore(datastore, rest);
    }
    const jobForm = /^azureml:\/\/jobs\/([^/]+)\/outputs\/([^/]+)(?:\/paths(?:\/(.*))?)?\/?$/i.exec(trimmed);
    if (jobForm) {
      const [, jobName, outputName, rest = ""] = jobForm;
      const root = jobOutput?.(jobName, outputName);
      if (root === undefined) throw userError(`The URI '${uri}' names output '${outputName}' of job '${jobName}', which does not exist.`);
      const base = this.locate(root);
      return { ...base, path: joinPaths(base.path, cleanPath(rest)) };
    }
    // MLflow's form for a run's artifacts, which Azure ML takes for a model's path too.
    const runForm = /^runs:\/([^/]+)\/(.*)$/i.exec(trimmed);
    if (runForm) return this.locate(`azureml://jobs/${runForm[1]}/outputs/artifacts/paths/${runForm[2]}`, jobOutput);
    if (/^https?:\/\//i.test(trimmed)) return this.locateUrl(uri);
    throw userError(
      `'${uri}' is not a storage location Azure ML takes here: use azureml://datastores/<datastore>/paths/<path>, azureml://jobs/<job>/outputs/<output>/paths/<path> or the https URL of a datastore's blobs.`,
    );
  }

  /** `https://<account>.blob.<endpoint>/<container>/<path>`: it must be the container of one of the workspace's datastores. */
  private locateUrl(uri: string): BlobLocation {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw userError(`'${uri}' is not a valid URL.`);
    }
    const account = /^([a-z0-9]+)\.blob\./i.exec(url.hostname)?.[1];
    const [container = "", ...rest] = url.pathname.split("/").filter((segment) => segment !== "");
    const match = this.datastores().find((resource) => {
      const properties = isJsonObject(resource.body.properties) ? resource.body.properties : {};
      return textOf(properties.accountName).toLowerCase() === account?.toLowerCase() && textOf(properties.containerName) === decodeURIComponent(container);
    });
    if (!account || !match) throw userError(`The URL '${uri}' is not in a datastore of workspace '${textOf(this.workspace.body.name)}'.`);
    return this.inDatastore(textOf(match.body.name), rest.join("/"));
  }

  container(location: BlobLocation): ContainerClient {
    const { resource } = this.blobDatastore(location.datastore);
    return this.storage.containerClient(location.accountName, this.accountKey(resource), location.containerName);
  }

  private accountKey(datastore: StoredResource): string {
    const source = datastore.secrets.source;
    if (isJsonObject(source) && source.kind === "storageAccountKey" && typeof source.storageAccountId === "string") {
      const account = this.store.get(source.storageAccountId);
      const key = account ? storageAccountKeys(account)[0] : undefined;
      if (key) return key;
    }
    if (isJsonObject(source) && source.kind === "given" && isJsonObject(source.secrets) && typeof source.secrets.key === "string") return source.secrets.key;
    const accountName = isJsonObject(datastore.body.properties) ? textOf(datastore.body.properties.accountName) : "";
    const account = this.store.ofType("Microsoft.Storage/storageAccounts").find((candidate) => textOf(candidate.body.name) === accountName);
    const key = account ? storageAccountKeys(account)[0] : undefined;
    if (!key) throw userError(`Datastore '${textOf(datastore.body.name)}' has no account key the local Azure can use.`);
    return key;
  }

  /** The blobs at the location: the blob itself when it is a file, else every blob under it (names relative to it). */
  async list(location: BlobLocation): Promise<{ isFile: boolean; names: string[] }> {
    const container = this.container(location);
    if (location.path !== "" && (await container.getBlobClient(location.path).exists())) return { isFile: true, names: [path.posix.basename(location.path)] };
    const prefix = location.path === "" ? "" : `${location.path}/`;
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix })) names.push(blob.name.slice(prefix.length));
    return { isFile: false, names: names.sort() };
  }

  async exists(location: BlobLocation): Promise<boolean> {
    return (await this.list(location)).names.length > 0;
  }

  /** Downloads the location into `targetDir`; returns the local file (a blob) or `targetDir` (a folder). */
  async download(location: BlobLocation, targetDir: string): Promise<string> {
    const { isFile, names } = await this.list(location);
    if (names.length === 0) throw new Error(`No blobs found at '${location.path}' in datastore '${location.datastore}'.`);
    fs.mkdirSync(targetDir, { recursive: true });
    const container = this.container(location);
    if (isFile) {
      const file = path.join(targetDir, names[0]);
      await container.getBlobClient(location.path).downloadToFile(file);
      return file;
    }
    for (const name of names) {
      const local = path.join(targetDir, ...cleanPath(name, false).split("/"));
      fs.mkdirSync(path.dirname(local), { recursive: true });
      await container.getBlobClient(joinPaths(location.path, name)).downloadToFile(local);
    }
    return targetDir;
  }

  /** Writes each file under the location's folder. */
  async upload(location: BlobLocation, files: readonly UploadFile[]): Promise<void> {
    const container = this.container(location);
    for (const file of files) {
      await container.getBlockBlobClient(joinPaths(location.path, cleanPath(file.relativePath, false))).uploadFile(file.localPath);
    }
  }

  /** `azureml://datastores/<ds>/paths/<path>/`, the form Azure ML writes for an output folder. */
  static folderUri(datastore: string, folder: string): string {
    return `azureml://datastores/${datastore}/paths/${folder}/`;
  }
}
