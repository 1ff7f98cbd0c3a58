import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { SnapshotFile } from "../../../tasks/common/src/upload/folderSnapshot";
import { UploadTarget } from "../../../tasks/common/src/upload/uploadTarget";

/** An in-memory container that keeps each blob's MD5 and metadata, and records every call. */
export class FakeUploadTarget implements UploadTarget {
  readonly location = "https://fake.blob/container";
  readonly blobs = new Map<string, { md5: string; size: number; metadata: Record<string, string> }>();
  readonly uploads: string[] = [];
  readonly metadataReads: string[] = [];
  failOn: string | undefined;

  readMetadata(blobName: string): Promise<Record<string, string> | undefined> {
    this.metadataReads.push(blobName);
    return Promise.resolve(this.blobs.get(blobName)?.metadata);
  }

  async uploadFile(blobName: string, file: SnapshotFile, onBytes: (sentBytes: number) => void): Promise<void> {
    this.uploads.push(blobName);
    if (this.failOn === blobName) throw new Error(`Uploading "${file.absolutePath}" failed (HTTP 500): injected.`);
    const hash = createHash("md5");
    let size = 0;
    for await (const chunk of createReadStream(file.absolutePath)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      onBytes(size);
    }
    this.blobs.set(blobName, { md5: hash.digest("hex"), size, metadata: {} });
  }

  setMetadata(blobName: string, metadata: Readonly<Record<string, string>>): Promise<void> {
    const blob = this.blobs.get(blobName);
    if (!blob) return Promise.reject(new Error(`no blob ${blobName}`));
    blob.metadata = { ...metadata };
    return Promise.resolve();
  }
}
