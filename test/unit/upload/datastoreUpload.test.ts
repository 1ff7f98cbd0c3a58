import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeUpload, UploadProgress, uploadLayout, uploadSnapshot } from "../../../tasks/common/src/upload/datastoreUpload";
import { FolderSnapshot, snapshotPath } from "../../../tasks/common/src/upload/folderSnapshot";
import { FakeUploadTarget } from "./fakeUploadTarget";

describe("datastore upload (layout, reuse, partial uploads)", () => {
  let root: string;
  let folder: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "datastore-upload-"));
    folder = path.join(root, "code");
    fs.mkdirSync(folder);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  };
  const asset = { assetName: "3f1c0d9e-0000-4000-8000-000000000001", assetVersion: "1" };

  async function codeSnapshot(): Promise<FolderSnapshot> {
    write("train.py", "print('train')\n");
    write("lib/util.py", "x = 1\n");
    write("Data/a.csv", "1,2\n");
    return snapshotPath(folder);
  }

  it("puts a folder under LocalUpload/<hash>/<folder name>/ and a file at LocalUpload/<hash>/<file name>", async () => {
    const snapshot = await codeSnapshot();
    const layout = uploadLayout(snapshot);
    assert.equal(layout.prefix, `LocalUpload/${snapshot.hash}/code`);
    assert.equal(layout.indicatorBlob, `LocalUpload/${snapshot.hash}/code/Data/a.csv`, "the first file in code point order");
    assert.equal(layout.legacyIndicatorBlob, `az-ml-artifacts/${snapshot.hash}/code/Data/a.csv`);
    fs.writeFileSync(path.join(root, "model.pkl"), "weights");
    const file = await snapshotPath(path.join(root, "model.pkl"));
    const fileLayout = uploadLayout(file);
    assert.equal(fileLayout.prefix, `LocalUpload/${file.hash}/model.pkl`);
    assert.equal(fileLayout.blobName(file.files[0]), fileLayout.prefix);
    assert.equal(fileLayout.indicatorBlob, fileLayout.prefix);
  });

  it("uploads every file on the first run and then stamps the indicator with the completion mark and the asset", async () => {
    const snapshot = await codeSnapshot();
    const target = new FakeUploadTarget();
    const result = await uploadSnapshot(target, snapshot, asset);
    const prefix = `LocalUpload/${snapshot.hash}/code`;
    assert.deepEqual(result, { uploaded: true, files: 3, bytes: snapshot.totalBytes, prefix, asset: { name: asset.assetName, version: "1" } });
    assert.deepEqual([...target.blobs.keys()].sort(), [`${prefix}/Data/a.csv`, `${prefix}/lib/util.py`, `${prefix}/train.py`]);
    assert.deepEqual(target.blobs.get(`${prefix}/Data/a.csv`)?.metadata, { upload_status: "completed", name: asset.assetName, version: "1" });
    assert.deepEqual(target.blobs.get(`${prefix}/train.py`)?.metadata, {});
    assert.equal(
      describeUpload(result, "Code", target.location),
      `Code uploaded: 3 file(s), ${(snapshot.totalBytes / 1024).toFixed(1)} KiB to ${prefix} in ${target.location}.`,
    );
  });

  it("uploads nothing when the same content was uploaded completely before, and returns the asset recorded then", async () => {
    const target = new FakeUploadTarget();
    await uploadSnapshot(target, await codeSnapshot(), asset);
    target.uploads.length = 0;
    const again = await uploadSnapshot(target, await snapshotPath(folder), { assetName: "other", assetVersion: "7" });
    assert.equal(again.uploaded, false);
    assert.equal(again.files, 0);
    assert.equal(again.bytes, 0);
    assert.deepEqual(again.asset, { name: asset.assetName, version: "1" });
    assert.deepEqual(target.uploads, []);
    assert.match(
      describeUpload(again, "Code", target.location),
      /^Code unchanged: reusing LocalUpload\/[0-9a-f]{32}\/code in https:\/\/fake\.blob\/container and code asset 3f1c0d9e-0000-4000-8000-000000000001:1\.$/,
    );
  });

  it("uploads again when one byte changed: a new hash, a new prefix", async () => {
    const target = new FakeUploadTarget();
    const first = await uploadSnapshot(target, await codeSnapshot(), asset);
    write("train.py", "print('train!')\n");
    const second = await uploadSnapshot(target, await snapshotPath(folder), asset);
    assert.equal(second.uploaded, true);
    assert.notEqual(second.prefix, first.prefix);
  });

  it("redoes a partial upload: an indicator without the completion mark does not count", async () => {
    const snapshot = await codeSnapshot();
    const target = new FakeUploadTarget();
    const layout = uploadLayout(snapshot);
    target.blobs.set(layout.indicatorBlob, { md5: "partial", size: 1, metadata: { name: "x", version: "1" } });
    target.blobs.set(layout.legacyIndicatorBlob, { md5: "partial", size: 1, metadata: { upload_status: "started" } });
    const result = await uploadSnapshot(target, snapshot, asset);
    assert.equal(result.uploaded, true);
    assert.equal(target.uploads.length, 3);
    assert.notEqual(target.blobs.get(layout.indicatorBlob)?.md5, "partial");
    assert.equal(target.blobs.get(layout.indicatorBlob)?.metadata.upload_status, "completed");
  });

  it("reuses a completed upload found under the legacy az-ml-artifacts prefix", async () => {
    const snapshot = await codeSnapshot();
    const target = new FakeUploadTarget();
    target.blobs.set(uploadLayout(snapshot).legacyIndicatorBlob, {
      md5: "old",
      size: 1,
      metadata: { Upload_Status: "completed", Name: "legacy-code", Version: "4" },
    });
    const result = await uploadSnapshot(target, snapshot, asset);
    assert.deepEqual(result, {
      uploaded: false,
      files: 0,
      bytes: 0,
      prefix: `az-ml-artifacts/${snapshot.hash}/code`,
      asset: { name: "legacy-code", version: "4" },
    });
    assert.deepEqual(target.uploads, []);
  });

  it("does not mark an upload complete when a file fails, and stops starting new files", async () => {
    for (let index = 0; index < 40; index += 1) write(`f${String(index).padStart(2, "0")}.txt`, `file ${index}`);
    const snapshot = await snapshotPath(folder);
    const target = new FakeUploadTarget();
    const layout = uploadLayout(snapshot);
    target.failOn = layout.blobName(snapshot.files[3]);
    await assert.rejects(uploadSnapshot(target, snapshot, { ...asset, concurrency: 2 }), /injected/);
    assert.ok(target.uploads.length < 40, `started ${target.uploads.length} of 40 uploads after the failure`);
    assert.deepEqual(target.blobs.get(layout.indicatorBlob)?.metadata, {});
    const retry = new FakeUploadTarget();
    for (const [name, blob] of target.blobs) retry.blobs.set(name, blob);
    assert.equal((await uploadSnapshot(retry, snapshot, asset)).uploaded, true, "the next run redoes it");
  });

  it("reports progress every N files or bytes and once at the end", async () => {
    for (let index = 0; index < 25; index += 1) write(`f${String(index).padStart(2, "0")}.txt`, "x".repeat(100));
    const snapshot = await snapshotPath(folder);
    const reports: UploadProgress[] = [];
    await uploadSnapshot(new FakeUploadTarget(), snapshot, {
      ...asset,
      concurrency: 1,
      progressEveryFiles: 10,
      progressEveryBytes: 1e9,
      onProgress: (progress) => reports.push(progress),
    });
    assert.deepEqual(
      reports.map((report) => report.files),
      [10, 20, 25],
    );
    assert.deepEqual(reports.at(-1), { files: 25, totalFiles: 25, bytes: 2500, totalBytes: 2500 });
  });
});
