// Runs in a child process so its memory is its own: snapshots and uploads a folder twice
// (first run, unchanged re-run) while sampling RSS, and sends the figures to the parent.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { uploadSnapshot } from "../../../../tasks/common/src/upload/datastoreUpload";
import { snapshotPath } from "../../../../tasks/common/src/upload/folderSnapshot";
import { containerUploadTarget } from "../../../../tasks/common/src/upload/uploadTarget";

export interface ProbeRun {
  uploaded: boolean;
  files: number;
  bytes: number;
  seconds: number;
  peakRssBytes: number;
}

export interface ProbeReport {
  baselineRssBytes: number;
  runs: ProbeRun[];
}

async function main(): Promise<void> {
  const [folder, url, accountName, containerName] = process.argv.slice(2);
  const accountKey = process.env.UPLOAD_PROBE_KEY ?? "";
  const container = new BlobServiceClient(url, new StorageSharedKeyCredential(accountName, accountKey)).getContainerClient(containerName);
  await container.createIfNotExists();
  const target = containerUploadTarget(container);
  const baselineRssBytes = process.memoryUsage().rss;
  const runs: ProbeRun[] = [];
  for (let run = 0; run < 2; run += 1) {
    let peakRssBytes = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 5);
    const started = process.hrtime.bigint();
    const snapshot = await snapshotPath(folder, "the code folder");
    const result = await uploadSnapshot(target, snapshot, {
      assetName: "probe",
      assetVersion: "1",
      concurrency: Number(process.env.UPLOAD_PROBE_CONCURRENCY ?? 8),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
    runs.push({ uploaded: result.uploaded, files: snapshot.files.length, bytes: snapshot.totalBytes, seconds, peakRssBytes });
  }
  const report: ProbeReport = { baselineRssBytes, runs };
  process.send?.(report);
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
