import { FolderSnapshot, SnapshotFile } from "./folderSnapshot";
import { UploadTarget } from "./uploadTarget";

// azure-ai-ml's blob layout, so that an upload made by `az ml` is found by us and the other way round.
export const uploadOrigin = "LocalUpload";
export const legacyUploadOrigin = "az-ml-artifacts";
const uploadStatusKey = "upload_status";
const uploadCompleted = "completed";

export interface UploadLayout {
  /** `LocalUpload/<hash>/<name>`: the code or model path, relative to the container. */
  readonly prefix: string;
  /** The first blob in upload order; it carries the completion mark. */
  readonly indicatorBlob: string;
  readonly legacyIndicatorBlob: string;
  blobName(file: SnapshotFile): string;
}

export function uploadLayout(snapshot: FolderSnapshot): UploadLayout {
  const prefix = `${uploadOrigin}/${snapshot.hash}/${snapshot.name}`;
  const blobName = (file: SnapshotFile) => (snapshot.isFile ? prefix : `${prefix}/${file.relativePath}`);
  const indicatorBlob = blobName(snapshot.files[0]);
  const legacyIndicatorBlob = `${legacyUploadOrigin}${indicatorBlob.slice(uploadOrigin.length)}`;
  return { prefix, indicatorBlob, legacyIndicatorBlob, blobName };
}

export interface UploadProgress {
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

export interface UploadOptions {
  /** Stored on the indicator with the completion mark, so a later identical upload can reuse the asset. */
  readonly assetName: string;
  readonly assetVersion: string;
  /** Files in flight at once (default 8). */
  readonly concurrency?: number;
  /** Called at most every `progressEveryFiles` files or `progressEveryBytes` bytes, and once at the end. */
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly progressEveryFiles?: number;
  readonly progressEveryBytes?: number;
}

export interface UploadResult {
  /** False when a completed upload of the same content was found: nothing was sent. */
  readonly uploaded: boolean;
  readonly files: number;
  readonly bytes: number;
  /** Where the content is, relative to the container (the legacy prefix when it was found there). */
  readonly prefix: string;
  /** The asset recorded with a completed earlier upload (reuse it), or the one just stamped. */
  readonly asset: { readonly name: string; readonly version: string } | undefined;
}

/**
 * Uploads a snapshot to `LocalUpload/<hash>/<name>/…` unless a completed upload of the same
 * content is already there (under that prefix or the legacy `az-ml-artifacts/`). An indicator
 * without the completion mark is a partial upload and is redone. The mark is set only after
 * every file is in, so an interrupted run never looks complete.
 */
export async function uploadSnapshot(target: UploadTarget, snapshot: FolderSnapshot, options: UploadOptions): Promise<UploadResult> {
  const layout = uploadLayout(snapshot);
  for (const [indicator, prefix] of [
    [layout.legacyIndicatorBlob, `${legacyUploadOrigin}${layout.prefix.slice(uploadOrigin.length)}`],
    [layout.indicatorBlob, layout.prefix],
  ] as const) {
    const metadata = await target.readMetadata(indicator);
    if (metadata && isCompleted(metadata)) {
      return { uploaded: false, files: 0, bytes: 0, prefix, asset: recordedAsset(metadata) };
    }
  }
  await uploadFiles(target, snapshot, layout, options);
  const asset = { name: options.assetName, version: options.assetVersion };
  await target.setMetadata(layout.indicatorBlob, { [uploadStatusKey]: uploadCompleted, name: asset.name, version: asset.version });
  return { uploaded: true, files: snapshot.files.length, bytes: snapshot.totalBytes, prefix: layout.prefix, asset };
}

/** The log line for a result, e.g. for the task's "Uploading code" group. */
export function describeUpload(result: UploadResult, what: string, location: string): string {
  if (!result.uploaded) {
    const asset = result.asset ? ` and code asset ${result.asset.name}:${result.asset.version}` : "";
    return `${what} unchanged: reusing ${result.prefix} in ${location}${asset}.`;
  }
  return `${what} uploaded: ${result.files} file(s), ${formatBytes(result.bytes)} to ${result.prefix} in ${location}.`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function metadataValue(metadata: Readonly<Record<string, string>>, key: string): string | undefined {
  const found = Object.keys(metadata).find((name) => name.toLowerCase() === key);
  return found === undefined ? undefined : metadata[found];
}

function isCompleted(metadata: Readonly<Record<string, string>>): boolean {
  return metadataValue(metadata, uploadStatusKey) === uploadCompleted;
}

function recordedAsset(metadata: Readonly<Record<string, string>>): UploadResult["asset"] {
  const name = metadataValue(metadata, "name");
  const version = metadataValue(metadata, "version");
  return name && version ? { name, version } : undefined;
}

async function uploadFiles(target: UploadTarget, snapshot: FolderSnapshot, layout: UploadLayout, options: UploadOptions): Promise<void> {
  const progress = new ProgressReporter(snapshot, options);
  let next = 0;
  let failing = false;
  const worker = async () => {
    while (!failing && next < snapshot.files.length) {
      const file = snapshot.files[next++];
      try {
        await target.uploadFile(layout.blobName(file), file, (sent) => progress.fileBytes(file, sent));
      } catch (error) {
        failing = true;
        throw error;
      }
      progress.fileDone(file);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, snapshot.files.length));
  // allSettled, not all: a failure must not leave other uploads running after we return.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) throw failed.reason;
  progress.finish();
}

class ProgressReporter {
  private files = 0;
  private completedBytes = 0;
  private readonly inFlight = new Map<SnapshotFile, number>();
  private reportedFiles = 0;
  private reportedBytes = 0;
  private readonly everyFiles: number;
  private readonly everyBytes: number;

  constructor(
    private readonly snapshot: FolderSnapshot,
    private readonly options: UploadOptions,
  ) {
    this.everyFiles = options.progressEveryFiles ?? 250;
    this.everyBytes = options.progressEveryBytes ?? 16 * 1024 * 1024;
  }

  fileBytes(file: SnapshotFile, sent: number): void {
    this.inFlight.set(file, sent);
    this.maybeReport();
  }

  fileDone(file: SnapshotFile): void {
    this.inFlight.delete(file);
    this.files += 1;
    this.completedBytes += file.size;
    this.maybeReport();
  }

  finish(): void {
    if (this.reportedFiles !== this.files || this.reportedBytes !== this.completedBytes) this.report();
  }

  private bytes(): number {
    let sum = this.completedBytes;
    for (const sent of this.inFlight.values()) sum += sent;
    return sum;
  }

  private maybeReport(): void {
    if (this.files - this.reportedFiles >= this.everyFiles || this.bytes() - this.reportedBytes >= this.everyBytes) this.report();
  }

  private report(): void {
    const bytes = this.bytes();
    this.reportedFiles = this.files;
    this.reportedBytes = bytes;
    this.options.onProgress?.({ files: this.files, totalFiles: this.snapshot.files.length, bytes, totalBytes: this.snapshot.totalBytes });
  }
}
