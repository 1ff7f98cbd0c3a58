import type { ContainerClient } from "@azure/storage-blob";
import type { AzureSession } from "../azure/azureSession";
import { openDatastoreContainer } from "../azure/clients/datastoreStorage";
import type { MachineLearningControlPlane } from "../azure/clients/machineLearningControlPlane";
import { describing, isNotFound } from "../errors/azureError";
import { InputError } from "../errors/inputError";
import { DatastorePath } from "./datastorePaths";

/**
 * Reads what a job wrote (its named outputs, its `./outputs` artifacts) from the datastores that
 * hold them, one container client per datastore, signed as each datastore allows.
 */
export class JobOutputFiles {
  private readonly containers = new Map<string, Promise<ContainerClient>>();

  constructor(
    private readonly session: AzureSession,
    private readonly controlPlane: MachineLearningControlPlane,
  ) {}

  /** The file's bytes, or undefined when there is none; a file over `maxBytes` is refused unread. */
  async readFile(file: DatastorePath, maxBytes: number): Promise<Buffer | undefined> {
    const container = await this.container(file.datastore);
    const blob = container.getBlobClient(file.path);
    const where = `'${file.path}' in datastore '${file.datastore}'`;
    const properties = await describing(`Reading ${where}`, async () => {
      try {
        return await blob.getProperties();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
    if (!properties) return undefined;
    if ((properties.contentLength ?? 0) > maxBytes) {
      throw new InputError(`${where} is ${properties.contentLength} bytes long; at most ${maxBytes} are read.`);
    }
    return describing(`Downloading ${where}`, () => blob.downloadToBuffer());
  }

  /** The files under a folder, as paths relative to it, sorted. */
  async list(folder: DatastorePath): Promise<string[]> {
    const container = await this.container(folder.datastore);
    const prefix = folder.path === "" ? "" : `${folder.path}/`;
    return describing(`Listing '${folder.path}' in datastore '${folder.datastore}'`, async () => {
      const names: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix })) names.push(blob.name.slice(prefix.length));
      return names.sort();
    });
  }

  /** Whether a blob of exactly this path exists: a file, where a folder is only a prefix of others. */
  async isFile(file: DatastorePath): Promise<boolean> {
    if (file.path === "") return false;
    const container = await this.container(file.datastore);
    return describing(`Reading '${file.path}' in datastore '${file.datastore}'`, () => container.getBlobClient(file.path).exists());
  }

  /** Downloads one file to `localPath`, streamed to disk (never held whole in memory); returns its size in bytes. */
  async downloadFile(file: DatastorePath, localPath: string): Promise<number> {
    const container = await this.container(file.datastore);
    const properties = await describing(`Downloading '${file.path}' from datastore '${file.datastore}'`, () =>
      container.getBlobClient(file.path).downloadToFile(localPath),
    );
    return properties.contentLength ?? 0;
  }

  private container(datastore: string): Promise<ContainerClient> {
    let container = this.containers.get(datastore);
    if (!container) {
      container = this.openContainer(datastore);
      this.containers.set(datastore, container);
    }
    return container;
  }

  private async openContainer(name: string): Promise<ContainerClient> {
    const datastore = await describing(`Reading datastore '${name}'`, () => this.controlPlane.getDatastore(name));
    if (!datastore) throw new InputError(`The workspace has no datastore '${name}'.`);
    return openDatastoreContainer(this.session, this.controlPlane, datastore, name);
  }
}
