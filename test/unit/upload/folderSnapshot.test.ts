import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { FolderSnapshot, snapshotPath } from "../../../tasks/common/src/upload/folderSnapshot";

async function refusal(snapshot: Promise<FolderSnapshot>): Promise<string> {
  try {
    await snapshot;
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.ok(!error.message.includes("\n"), "one sentence, no stack");
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("folder snapshot (content hash and file list)", () => {
  let root: string;
  let folder: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
    folder = path.join(root, "src");
    fs.mkdirSync(folder);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer, base = folder) => {
    fs.mkdirSync(path.dirname(path.join(base, name)), { recursive: true });
    fs.writeFileSync(path.join(base, name), content);
  };
  const hashOf = async (target = folder) => (await snapshotPath(target, "the code folder")).hash;

  it("matches azure-ai-ml's object hash on a vector computed by hand from its algorithm", async () => {
    // MD5 seeded with the SDK's salt, then per folder (entries sorted case-insensitively,
    // depth first): the entry's name, then its bytes. An empty folder adds only its name.
    write("B.txt", "bravo\n");
    write("a.txt", "alpha\n");
    write("sub/c.txt", "charlie\n");
    fs.mkdirSync(path.join(folder, "empty"));
    const snapshot = await snapshotPath(folder);
    // hashlib.md5(salt); update(b"a.txt", b"alpha\n", b"B.txt", b"bravo\n", b"empty", b"sub", b"c.txt", b"charlie\n")
    assert.equal(snapshot.hash, "ff5d7df2186ab7b17f420e112954ead2");
    assert.deepEqual(
      snapshot.files.map((file) => [file.relativePath, file.size]),
      [
        ["B.txt", 6],
        ["a.txt", 6],
        ["sub/c.txt", 8],
      ],
      "upload order is by exact path (code points), as the SDK sorts its upload list",
    );
    assert.equal(snapshot.totalBytes, 20);
    assert.equal(snapshot.name, "src");
    assert.equal(snapshot.isFile, false);
  });

  it("hashes a single file as its bytes only, and lists it under its own name", async () => {
    write("model.pkl", "model bytes", root);
    const snapshot = await snapshotPath(path.join(root, "model.pkl"));
    assert.equal(snapshot.hash, "c99796299156226e5d71d24d6e7e078e");
    assert.equal(snapshot.isFile, true);
    assert.deepEqual(
      snapshot.files.map((file) => file.relativePath),
      ["model.pkl"],
    );
  });

  it("gives the same hash whatever the modification times, and whatever the path the folder is reached by", async () => {
    write("train.py", "print(1)\n");
    write("lib/util.py", "x = 1\n");
    const before = await hashOf();
    fs.utimesSync(path.join(folder, "train.py"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    fs.utimesSync(path.join(folder, "lib"), new Date(2002, 1, 1), new Date(2002, 1, 1));
    assert.equal(await hashOf(), before);
    assert.equal(await hashOf(path.join(root, ".", "src", "lib", "..")), before);
  });

  it("changes the hash when a byte, a name, or a folder changes", async () => {
    write("train.py", "print(1)\n");
    write("lib/util.py", "x = 1\n");
    const hashes = new Set([await hashOf()]);
    write("train.py", "print(2)\n");
    hashes.add(await hashOf());
    fs.renameSync(path.join(folder, "train.py"), path.join(folder, "Train.py"));
    hashes.add(await hashOf());
    fs.renameSync(path.join(folder, "lib"), path.join(folder, "lib2"));
    hashes.add(await hashOf());
    fs.mkdirSync(path.join(folder, "emptyFolder"));
    hashes.add(await hashOf());
    assert.equal(hashes.size, 5);
  });

  it("changes the hash when the ignore rules change what is included, and not for ignored content", async () => {
    write("train.py", "print(1)\n");
    write("data.csv", "1,2\n");
    write(".amlignore", "*.csv\n");
    const withRules = await snapshotPath(folder);
    assert.deepEqual(
      withRules.files.map((file) => file.relativePath),
      [".amlignore", "train.py"],
    );
    assert.equal(withRules.ignoreFile, ".amlignore");
    write("data.csv", "3,4,5\n");
    assert.equal(await hashOf(), withRules.hash, "an ignored file's content does not count");
    write(".amlignore", "*.csv\n!data.csv\n");
    const reincluded = await snapshotPath(folder);
    assert.notEqual(reincluded.hash, withRules.hash);
    assert.ok(reincluded.files.some((file) => file.relativePath === "data.csv"));
  });

  it("orders entries case-insensitively for the hash, as the SDK does", async () => {
    // Case-sensitive order would put "Zeta" before "alpha"; the SDK feeds "alpha" first.
    write("Zeta.txt", "z");
    write("alpha.txt", "a");
    const { createHash } = await import("node:crypto");
    const expected = createHash("md5")
      .update("Initialize for october 2021 AML CLI version")
      .update("alpha.txt")
      .update("a")
      .update("Zeta.txt")
      .update("z")
      .digest("hex");
    assert.equal(await hashOf(), expected);
  });

  it("walks sub-folders depth first in the hash: a folder's files come before a sibling file that sorts after it", async () => {
    write("a/x", "1");
    write("a.txt", "2");
    const { createHash } = await import("node:crypto");
    // Per folder "a" < "a.txt", and "a"'s content is hashed where "a" stands.
    const expected = createHash("md5")
      .update("Initialize for october 2021 AML CLI version")
      .update("a")
      .update("x")
      .update("1")
      .update("a.txt")
      .update("2")
      .digest("hex");
    assert.equal(await hashOf(), expected);
  });

  it("does not descend into an excluded folder, and excludes files under a folder-only pattern", async () => {
    write("train.py", "1");
    write("outputs/model.bin", "2");
    write("logs/run.log", "3");
    write(".gitignore", "outputs\nlogs/\n");
    const snapshot = await snapshotPath(folder);
    assert.deepEqual(
      snapshot.files.map((file) => file.relativePath),
      [".gitignore", "train.py"],
    );
  });

  it("follows symbolic links to files and folders, naming them by the link", async () => {
    write("shared/common.py", "shared = True\n", root);
    write("real.txt", "real\n", root);
    write("train.py", "1");
    fs.symlinkSync(path.join(root, "shared"), path.join(folder, "common"));
    fs.symlinkSync("../real.txt", path.join(folder, "linked.txt"));
    const linked = await snapshotPath(folder);
    assert.deepEqual(
      linked.files.map((file) => [file.relativePath, file.size]),
      [
        ["common/common.py", 14],
        ["linked.txt", 5],
        ["train.py", 1],
      ],
    );
    // The same content as real files gives the same hash: links are followed, not hashed as links.
    fs.rmSync(path.join(folder, "common"));
    fs.rmSync(path.join(folder, "linked.txt"));
    write("common/common.py", "shared = True\n");
    write("linked.txt", "real\n");
    assert.equal(await hashOf(), linked.hash);
  });

  it("names a folder reached through a link after its target, as the SDK's resolved path does", async () => {
    write("train.py", "1");
    fs.symlinkSync(folder, path.join(root, "current"));
    const viaLink = await snapshotPath(path.join(root, "current"));
    assert.equal(viaLink.name, "src");
    assert.equal(viaLink.hash, await hashOf());
  });

  it("refuses a symbolic link loop with one sentence naming the link", async () => {
    write("train.py", "1");
    fs.mkdirSync(path.join(folder, "deep"));
    fs.symlinkSync(folder, path.join(folder, "deep", "again"));
    const message = await refusal(snapshotPath(folder, "the code folder"));
    assert.match(message, /^Cannot upload the code folder: ".*deep[/\\]again" is a symbolic link that loops back/);
  });

  it("refuses a link to itself and a dangling link, naming them", async () => {
    write("train.py", "1");
    fs.symlinkSync("self", path.join(folder, "self"));
    assert.match(await refusal(snapshotPath(folder)), /"[^"]*self" is a symbolic link that loops back to itself\.$/);
    fs.rmSync(path.join(folder, "self"));
    fs.symlinkSync(path.join(root, "nowhere"), path.join(folder, "gone"));
    assert.match(await refusal(snapshotPath(folder)), /"[^"]*gone" is a symbolic link to a missing target\.$/);
  });

  it("ignores a special file that the ignore rules exclude, and refuses one they do not", async function () {
    if (process.platform === "win32") this.skip();
    write("train.py", "1");
    execFileSync("mkfifo", [path.join(folder, "pipe")]);
    assert.match(
      await refusal(snapshotPath(folder, "the code folder")),
      /^Cannot upload the code folder: "[^"]*pipe" is a named pipe \(FIFO\); only files, folders and links to them can be uploaded\.$/,
    );
    write(".amlignore", "pipe\n");
    assert.ok(await snapshotPath(folder));
  });

  it("refuses a socket, and a device reached through a link", async function () {
    if (process.platform === "win32") this.skip();
    write("train.py", "1");
    const socketPath = path.join(folder, "s.sock");
    const server = net.createServer().listen(socketPath);
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      assert.match(await refusal(snapshotPath(folder)), /"[^"]*s\.sock" is a socket;/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    fs.rmSync(socketPath, { force: true });
    fs.symlinkSync("/dev/null", path.join(folder, "null"));
    assert.match(await refusal(snapshotPath(folder)), /"[^"]*null" is a device;/);
  });

  it("refuses a missing path, and a folder with nothing left to upload", async () => {
    assert.match(
      await refusal(snapshotPath(path.join(root, "absent"), "the model")),
      /^Cannot upload the model: ".*absent" cannot be read \(it does not exist\)\.$/,
    );
    assert.match(await refusal(snapshotPath(folder, "the code folder")), /^Cannot upload the code folder: ".*src" contains no files\.$/);
    write("a.csv", "1");
    write(".amlignore", "*\n");
    assert.match(await refusal(snapshotPath(folder)), /contains no files; everything in it is excluded by its \.amlignore\.$/);
  });
});
