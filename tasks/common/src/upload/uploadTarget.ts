import type { ContainerClient } from "@azure/storage-blob";
import { describing, isNotFound } from "../errors/azureError";
import { SnapshotFile } from "./folderSnapshot";

/** The few blob operations an upload needs; a ContainerClient in the task, a fake in some tests. */
export interface UploadTarget {
  /** Where blobs go, for messages (the container URL, without any SAS). */
  readonly location: string;
  /** The blob's metadata, or undefined when the blob does not exist. */
  readMetadata(blobName: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Streams the file into the blob (overwriting), reporting bytes sent so far for this file. */
  uploadFile(blobName: string, file: SnapshotFile, onBytes: (sentBytes: number) => void): Promise<void>;
  setMetadata(blobName: string, metadata: Readonly<Record<string, string>>): Promise<void>;
}

// Blocks are read from disk as streams, so memory per file stays near blockBytes × blockConcurrency
// however large the file; small files go in one request.
const blockBytes = 4 * 1024 * 1024;
const blockConcurrency = 2;

export function containerUploadTarget(container: ContainerClient): UploadTarget {
  const location = container.url.split("?")[0];
  return {
    location,
    readMetadata: (blobName) =>
      describing(`Reading the upload marker "${blobName}" in ${location}`, async () => {
        try {
          return (await container.getBlobClient(blobName).getProperties()).metadata ?? {};
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      }),
    uploadFile: (blobName, file, onBytes) =>
      describing(`Uploading "${file.absolutePath}" to "${blobName}" in ${location}`, async () => {
        await container.getBlockBlobClient(blobName).uploadFile(file.absolutePath, {
          blockSize: blockBytes,
          maxSingleShotSize: blockBytes,
          concurrency: blockConcurrency,
          onProgress: (progress) => onBytes(progress.loadedBytes),
        });
      }),
    setMetadata: (blobName, metadata) =>
      describing(`Marking the upload complete on "${blobName}" in ${location}`, async () => {
        await container.getBlobClient(blobName).setMetadata({ ...metadata });
      }),
  };
}
