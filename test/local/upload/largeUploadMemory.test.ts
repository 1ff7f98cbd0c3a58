import * as assert from "node:assert/strict";
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalAzurite } from "./localAzurite";
import type { ProbeReport } from "./support/uploadProbe";

const mib = 1024 * 1024;

/** 1,000 small files and one 50 MB file, the shape `npm run bench` measures. */
function writeBenchFolder(folder: string): void {
  for (let index = 0; index < 1000; index += 1) {
    const sub = path.join(folder, `pkg${index % 10}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `module${index}.py`), `value = ${index}\n`.repeat(20));
  }
  const big = fs.openSync(path.join(folder, "weights.bin"), "w");
  try {
    for (let written = 0; written < 50 * mib; written += mib) fs.writeSync(big, randomBytes(mib));
  } finally {
    fs.closeSync(big);
  }
}

describe("uploading a 50 MB file streams it (memory measured in a child process)", function () {
  this.timeout(300000);
  let azurite: LocalAzurite;
  let root: string;
  before(async () => {
    azurite = await LocalAzurite.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "upload-memory-"));
  });
  after(async () => {
    await azurite?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("keeps the uploader's RSS growth far below the file's size, and re-uploads nothing when unchanged", async () => {
    const folder = path.join(root, "code");
    writeBenchFolder(folder);
    const probe = path.join(__dirname, "support", "uploadProbe.js");
    const child = fork(probe, [folder, azurite.url, azurite.accountName, "workspaceblobstore"], {
      env: { ...process.env, UPLOAD_PROBE_KEY: azurite.accountKey, NODE_OPTIONS: "" },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    let errorText = "";
    child.stderr?.on("data", (chunk: Buffer) => (errorText += chunk.toString()));
    const report = await new Promise<ProbeReport>((resolve, reject) => {
      let received: ProbeReport | undefined;
      child.on("message", (message) => (received = message as ProbeReport));
      child.once("exit", (code) => (received ? resolve(received) : reject(new Error(`the upload probe exited (${code}): ${errorText}`))));
    });
    const [first, second] = report.runs;
    const growth = (run: { peakRssBytes: number }) => (run.peakRssBytes - report.baselineRssBytes) / mib;
    for (const [label, run] of [
      ["first run", first],
      ["unchanged re-run", second],
    ] as const) {
      console.log(
        `      ${label}: ${run.files} files, ${(run.bytes / mib).toFixed(1)} MiB, ${run.seconds.toFixed(2)} s, uploaded=${run.uploaded}, peak RSS ${(run.peakRssBytes / mib).toFixed(1)} MiB (baseline ${(report.baselineRssBytes / mib).toFixed(1)} MiB, growth ${growth(run).toFixed(1)} MiB)`,
      );
    }
    assert.equal(first.uploaded, true);
    assert.equal(first.files, 1001);
    assert.equal(second.uploaded, false);
    assert.ok(growth(first) < 100, `RSS grew by ${growth(first).toFixed(1)} MiB while uploading a 50 MiB file`);
  });
});
