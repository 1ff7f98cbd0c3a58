import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { uploadLayout, uploadSnapshot } from "../../../tasks/common/src/upload/datastoreUpload";
import { snapshotPath } from "../../../tasks/common/src/upload/folderSnapshot";
import { containerUploadTarget } from "../../../tasks/common/src/upload/uploadTarget";
import { LocalAzurite } from "./localAzurite";

describe("datastore upload against Azurite", function () {
  this.timeout(120000);
  let azurite: LocalAzurite;
  let container: ContainerClient;
  let root: string;
  let folder: string;

  before(async () => {
    azurite = await LocalAzurite.start();
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "azurite-upload-"));
    folder = path.join(root, "src");
    fs.mkdirSync(folder);
    container = azurite.serviceClient().getContainerClient(`workspaceblobstore-${Date.now()}`);
    await container.create();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  };
  const asset = { assetName: "b2e6d0c4-1111-4222-8333-444455556666", assetVersion: "1" };

  async function blobEtags(): Promise<Map<string, string>> {
    const etags = new Map<string, string>();
    for await (const blob of container.listBlobsFlat({ includeMetadata: true })) etags.set(blob.name, blob.properties.etag ?? "");
    return etags;
  }

  function codeFolder(): void {
    write("train.py", "import sys\nprint(sys.argv)\n");
    write("pkg/__init__.py", "");
    write("pkg/model.py", "class Model: pass\n");
    write("notes/Readme.md", "# notes\n");
    write("outputs/big.bin", Buffer.alloc(1024));
    write(".amlignore", "outputs/\n");
  }

  it("uploads every file under LocalUpload/<hash>/<folder>/ with its bytes, and marks the first one complete", async () => {
    codeFolder();
    const snapshot = await snapshotPath(folder, "the code folder");
    const result = await uploadSnapshot(containerUploadTarget(container), snapshot, asset);
    const prefix = `LocalUpload/${snapshot.hash}/src`;
    assert.equal(result.uploaded, true);
    assert.equal(result.files, 5);
    assert.equal(result.prefix, prefix);
    const names = [...(await blobEtags()).keys()].sort();
    assert.deepEqual(names, [`${prefix}/.amlignore`, `${prefix}/notes/Readme.md`, `${prefix}/pkg/__init__.py`, `${prefix}/pkg/model.py`, `${prefix}/train.py`]);
    const indicator = await container.getBlobClient(`${prefix}/.amlignore`).getProperties();
    assert.deepEqual(indicator.metadata, { upload_status: "completed", name: asset.assetName, version: "1" });
    const other = await container.getBlobClient(`${prefix}/train.py`).getProperties();
    assert.deepEqual(other.metadata, {});
    const body = await container.getBlobClient(`${prefix}/train.py`).downloadToBuffer();
    assert.equal(body.toString(), "import sys\nprint(sys.argv)\n");
    assert.equal((await container.getBlobClient(`${prefix}/pkg/__init__.py`).getProperties()).contentLength, 0);
  });

  it("uploads nothing on an unchanged re-run, even with new modification times, and names the asset recorded", async () => {
    codeFolder();
    await uploadSnapshot(containerUploadTarget(container), await snapshotPath(folder), asset);
    const before = await blobEtags();
    fs.utimesSync(path.join(folder, "train.py"), new Date(), new Date());
    const again = await uploadSnapshot(containerUploadTarget(container), await snapshotPath(folder), { assetName: "new", assetVersion: "1" });
    assert.deepEqual(again, {
      uploaded: false,
      files: 0,
      bytes: 0,
      prefix: before.keys().next().value?.split("/").slice(0, 3).join("/"),
      asset: { name: asset.assetName, version: "1" },
    });
    assert.deepEqual(await blobEtags(), before, "no blob was written");
  });

  it("redoes a partial upload whose indicator has no completion mark", async () => {
    codeFolder();
    const snapshot = await snapshotPath(folder);
    const layout = uploadLayout(snapshot);
    await container.getBlockBlobClient(layout.indicatorBlob).upload("half", 4);
    const result = await uploadSnapshot(containerUploadTarget(container), snapshot, asset);
    assert.equal(result.uploaded, true);
    assert.equal((await container.getBlobClient(layout.indicatorBlob).downloadToBuffer()).toString(), "outputs/\n");
    assert.equal((await container.getBlobClient(layout.indicatorBlob).getProperties()).metadata?.upload_status, "completed");
  });

  it("uploads a single model file to LocalUpload/<hash>/<file name>, in blocks, byte for byte", async () => {
    const content = randomBytes(9 * 1024 * 1024 + 17);
    fs.writeFileSync(path.join(root, "model.onnx"), content);
    const snapshot = await snapshotPath(path.join(root, "model.onnx"), "the model");
    const result = await uploadSnapshot(containerUploadTarget(container), snapshot, { assetName: "m", assetVersion: "2" });
    assert.equal(result.prefix, `LocalUpload/${snapshot.hash}/model.onnx`);
    const properties = await container.getBlobClient(result.prefix).getProperties();
    assert.deepEqual(properties.metadata, { upload_status: "completed", name: "m", version: "2" });
    assert.ok((await container.getBlobClient(result.prefix).downloadToBuffer()).equals(content));
    const blocks = await container.getBlockBlobClient(result.prefix).getBlockList("committed");
    assert.equal(blocks.committedBlocks?.length, 3);
  });

  it("uploads files of exactly one block, of one block and one byte, and empty files byte for byte", async () => {
    const sizes = { "exact.bin": 4 * 1024 * 1024, "over.bin": 4 * 1024 * 1024 + 1, "empty.txt": 0, "small.txt": 5 };
    const contents = new Map(Object.entries(sizes).map(([name, size]) => [name, randomBytes(size)]));
    for (const [name, content] of contents) write(name, content);
    const result = await uploadSnapshot(containerUploadTarget(container), await snapshotPath(folder), asset);
    for (const [name, content] of contents) {
      assert.ok((await container.getBlobClient(`${result.prefix}/${name}`).downloadToBuffer()).equals(content), name);
    }
  });

  it("refuses a file that changed size between hashing and uploading, without marking the upload complete", async () => {
    codeFolder();
    const snapshot = await snapshotPath(folder);
    fs.appendFileSync(path.join(folder, "train.py"), "# edited meanwhile\n");
    await assert.rejects(
      uploadSnapshot(containerUploadTarget(container), snapshot, asset),
      /^InputError: ".*train\.py" changed while it was being uploaded \(27 bytes when hashed, 46 bytes now\); run again once nothing writes to it\.$/,
    );
    const indicator = await container.getBlobClient(uploadLayout(snapshot).indicatorBlob).getProperties();
    assert.equal(indicator.metadata?.upload_status, undefined);
  });

  it("fails with one sentence naming the blob and the container when storage refuses", async () => {
    codeFolder();
    const missing = azurite.serviceClient().getContainerClient("no-such-container");
    await assert.rejects(uploadSnapshot(containerUploadTarget(missing), await snapshotPath(folder), asset), (error: Error) => {
      assert.match(
        error.message,
        /^Uploading ".*" to "LocalUpload\/[0-9a-f]{32}\/src\/[^"]+" in http:\/\/127\.0\.0\.1:\d+\/uploadtest\/no-such-container failed \(ContainerNotFound, HTTP 404\)/,
      );
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  });
});
