import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as net from "node:net";
import * as path from "node:path";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { checkInputFile, isPresent, maxTextFileBytes, readInputFile } from "../../../tasks/common/src/files/fileInputs";

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("file inputs", () => {
  let folder: string;
  const source = "Input 'computeClustersFile'";
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), "file-inputs-"))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  function write(name: string, content: string | Buffer): string {
    const file = path.join(folder, name);
    fs.writeFileSync(file, content);
    return file;
  }

  it("reads a regular file, and one reached through a symbolic link", () => {
    const file = write("clusters.yml", "- name: cpu\n");
    assert.equal(readInputFile({ path: file, source }), "- name: cpu\n");
    const link = path.join(folder, "link.yml");
    fs.symlinkSync(file, link);
    assert.equal(readInputFile({ path: link, source }), "- name: cpu\n");
  });

  it("says that a missing file does not exist, naming the input", () => {
    const file = path.join(folder, "missing.yml");
    assert.equal(
      refusal(() => readInputFile({ path: file, source })),
      `Input 'computeClustersFile': file '${file}' does not exist.`,
    );
  });

  it("says that a path through a file does not exist and why", () => {
    const file = write("plain", "x");
    assert.match(
      refusal(() => readInputFile({ path: path.join(file, "clusters.yml"), source })),
      /does not exist \(a part of its path is a file, not a folder\)/,
    );
  });

  it("refuses a folder", () => {
    assert.equal(
      refusal(() => readInputFile({ path: folder, source })),
      `Input 'computeClustersFile': '${folder}' is a folder, not a file.`,
    );
  });

  it("refuses a named pipe at once, without waiting for a writer", () => {
    const fifo = path.join(folder, "clusters.fifo");
    execFileSync("mkfifo", [fifo]);
    assert.match(
      refusal(() => readInputFile({ path: fifo, source })),
      /^Input 'computeClustersFile': '.*clusters\.fifo' is a named pipe \(FIFO\), not a file\.$/,
    );
  });

  it("refuses a character device such as /dev/zero at once", () => {
    assert.equal(
      refusal(() => readInputFile({ path: "/dev/zero", source })),
      "Input 'computeClustersFile': '/dev/zero' is a character device, not a file.",
    );
  });

  it("refuses a socket", async () => {
    const socketPath = path.join(folder, "s.sock");
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      assert.match(
        refusal(() => checkInputFile({ path: socketPath, source })),
        /is a socket, not a file/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a file over the limit, and reads one at the limit", () => {
    const atLimit = write("at-limit.yml", Buffer.alloc(maxTextFileBytes, "a"));
    assert.equal(readInputFile({ path: atLimit, source }).length, maxTextFileBytes);
    const over = write("over.yml", Buffer.alloc(maxTextFileBytes + 1, "a"));
    assert.match(
      refusal(() => readInputFile({ path: over, source })),
      /file '.*over\.yml' is 1\.0 MiB; the task reads files of at most 1\.0 MiB\./,
    );
    assert.match(
      refusal(() => readInputFile({ path: atLimit, source }, { maxBytes: 100 })),
      /at most 100 bytes/,
    );
  });

  it("shows a path holding a control character escaped", () => {
    const message = refusal(() => readInputFile({ path: "clusters\n##vso[task.complete result=Succeeded]", source }));
    assert.doesNotMatch(message, /\n/);
    assert.match(message, /^Input 'computeClustersFile': 'clusters\\n##vso\[task\.complete result=Succeeded\]' holds a control character/);
  });

  it("tells what is present from what is absent, whatever it is", () => {
    assert.equal(isPresent(folder), true);
    assert.equal(isPresent("/dev/zero"), true);
    assert.equal(isPresent(path.join(folder, "missing")), false);
    assert.equal(isPresent(path.join(write("f", "x"), "below")), false);
  });
});
