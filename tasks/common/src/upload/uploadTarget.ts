import type { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { open } from "node:fs/promises";
import { describing, isNotFound } from "../errors/azureError";
import { InputError } from "../errors/inputError";
import { SnapshotFile } from "./folderSnapshot";

/** The few blob operations an upload needs; a ContainerClient in the task, a fake in some tests. */
export interface UploadTarget {
  /** Where blobs go, for messages (the container URL, without any SAS). */
  readonly location: string;
  /** The blob's metadata, or undefined when the blob does not exist. */
  readMetadata(blobName: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Sends the file into the blob (overwriting), reporting bytes sent so far for this file. */
  uploadFile(blobName: string, file: SnapshotFile, onBytes: (sentBytes: number) => void): Promise<void>;
  setMetadata(blobName: string, metadata: Readonly<Record<string, string>>): Promise<void>;
}

// A file up to one block goes in one request; a larger one in blocks, one after the other.
// Each block is read into a buffer reused from a pool, so memory stays near
// blockBytes × files in flight whatever the file sizes, and reading makes no garbage.
// (Streams from @azure/storage-blob's uploadFile cost ~33 MiB more RSS for a 50 MB file.)
const blockBytes = 4 * 1024 * 1024;

class BufferPool {
  private readonly free: Buffer[] = [];
  acquire(): Buffer {
    // allocUnsafe: only the pages a read fills are ever touched, so small files stay small.
    return this.free.pop() ?? Buffer.allocUnsafe(blockBytes);
  }
  release(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

export function containerUploadTarget(container: ContainerClient): UploadTarget {
  const location = container.url.split("?")[0];
  const pool = new BufferPool();
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
    uploadFile: async (blobName, file, onBytes) => {
      const action = `Uploading "${file.absolutePath}" to "${blobName}" in ${location}`;
      const buffer = pool.acquire();
      try {
        await sendInBlocks(container.getBlockBlobClient(blobName), file, buffer, onBytes, (call) => describing(action, call));
      } finally {
        pool.release(buffer);
      }
    },
    setMetadata: (blobName, metadata) =>
      describing(`Marking the upload complete on "${blobName}" in ${location}`, async () => {
        await container.getBlobClient(blobName).setMetadata({ ...metadata });
      }),
  };
}

type AzureCall = <T>(call: () => Promise<T>) => Promise<T>;

async function sendInBlocks(blob: BlockBlobClient, file: SnapshotFile, buffer: Buffer, onBytes: (sentBytes: number) => void, azure: AzureCall): Promise<void> {
  const handle = await open(file.absolutePath, "r").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `"${file.absolutePath}" could not be opened for upload (${error.code ?? error.message}); it was readable when hashed, so something changed it meanwhile.`,
    );
  });
  try {
    const blockIds: string[] = [];
    let sent = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0 && blockIds.length > 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (blockIds.length === 0 && bytesRead < buffer.length) {
        // The whole file fitted: one Put Blob (also for an empty file).
        if (bytesRead !== file.size) {
          throw new InputError(
            `"${file.absolutePath}" changed while it was being uploaded (${file.size} bytes when hashed, ${bytesRead} bytes now); run again once nothing writes to it.`,
          );
        }
        await azure(() => blob.upload(chunk, bytesRead));
        onBytes(bytesRead);
        return;
      }
      // Block ids must all have the same length within a blob.
      const blockId = Buffer.from(`block-${String(blockIds.length).padStart(6, "0")}`).toString("base64");
      await azure(() => blob.stageBlock(blockId, chunk, bytesRead));
      blockIds.push(blockId);
      sent += bytesRead;
      onBytes(sent);
    }
    if (sent !== file.size) {
      throw new InputError(
        `"${file.absolutePath}" changed while it was being uploaded (${file.size} bytes when hashed, ${sent} bytes now); run again once nothing writes to it.`,
      );
    }
    await azure(() => blob.commitBlockList(blockIds));
  } finally {
    await handle.close();
  }
}
