import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BoundedLogFile } from "../../../local/azure/services/machinelearning/online/serving/boundedLogFile";

describe("local Azure: a deployment's bounded log", () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), "bounded-log-"))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("reads all of it, or its last lines", () => {
    const log = new BoundedLogFile(path.join(folder, "logs", "a.log"));
    log.append("one\ntwo\n");
    log.append("three\n");
    assert.equal(log.read(), "one\ntwo\nthree\n");
    assert.equal(log.read(2), "two\nthree\n");
    assert.equal(log.read(10), "one\ntwo\nthree\n");
    assert.equal(log.read(0), "");
    assert.equal(new BoundedLogFile(path.join(folder, "none.log")).read(5), "");
  });

  it("drops its older half, from a line start, once it passes its size", () => {
    const file = path.join(folder, "b.log");
    const log = new BoundedLogFile(file, 1000);
    for (let line = 0; line < 200; line++) log.append(`line ${line}\n`);
    const size = fs.statSync(file).size;
    assert.ok(size <= 1000, `${size} bytes`);
    const text = log.read();
    assert.match(text, /^line \d+\n/);
    assert.ok(text.endsWith("line 199\n"));
    const reopened = new BoundedLogFile(file, 1000);
    reopened.append("more\n");
    assert.ok(reopened.read().endsWith("line 199\nmore\n"), "a reopened log goes on where it was");
  });
});
