import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  collectArtifacts,
  collectOutput,
  createJobWorkspace,
  outputFolder,
  placeCode,
  placeInput,
} from "../../../local/azure/services/machinelearning/jobRunner/jobWorkspace";
import { temporaryFolder } from "./jobTestSupport";

describe("local Azure job engine: the job's folder", () => {
  let base: string;
  let source: string;

  beforeEach(() => {
    base = temporaryFolder("jobs");
    source = temporaryFolder("source");
  });

  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
    fs.rmSync(source, { recursive: true, force: true });
  });

  it("lays the job out like the Common Runtime and starts an empty user_logs/std_log.txt", () => {
    const workspace = createJobWorkspace(base, "job_1");
    assert.equal(workspace.code, path.join(base, "job_1", "exe", "wd"));
    assert.equal(workspace.data, path.join(base, "job_1", "cap", "data-capability", "wd"));
    assert.equal(fs.readFileSync(workspace.stdLog, "utf8"), "");
    assert.equal(path.relative(workspace.root, workspace.stdLog), path.join("user_logs", "std_log.txt"));
  });

  it("places a folder input as INPUT_<name> and a file input as the file itself inside it", () => {
    const workspace = createJobWorkspace(base, "job_1");
    fs.mkdirSync(path.join(source, "folder", "sub"), { recursive: true });
    fs.writeFileSync(path.join(source, "folder", "sub", "a.csv"), "a");
    fs.writeFileSync(path.join(source, "one.csv"), "b");
    const folder = placeInput(workspace, "training", path.join(source, "folder"));
    const file = placeInput(workspace, "single", path.join(source, "one.csv"));
    assert.equal(folder, path.join(workspace.data, "INPUT_training"));
    assert.equal(fs.readFileSync(path.join(folder, "sub", "a.csv"), "utf8"), "a");
    assert.equal(file, path.join(workspace.data, "INPUT_single", "one.csv"));
    assert.equal(fs.readFileSync(file, "utf8"), "b");
  });

  it("collects outputs/, logs/ and user_logs/ as artifacts and a named output's files relative to it", () => {
    const workspace = createJobWorkspace(base, "job_1");
    fs.mkdirSync(path.join(source, "code", "outputs", "nested"), { recursive: true });
    fs.writeFileSync(path.join(source, "code", "train.py"), "");
    fs.writeFileSync(path.join(source, "code", "outputs", "nested", "m.pkl"), "m");
    placeCode(workspace, path.join(source, "code"));
    fs.mkdirSync(path.join(workspace.code, "logs"));
    fs.writeFileSync(path.join(workspace.code, "logs", "run.log"), "l");
    fs.writeFileSync(path.join(outputFolder(workspace, "model"), "model.pkl"), "p");
    assert.deepEqual(
      collectArtifacts(workspace).map((f) => f.artifactPath),
      ["outputs/nested/m.pkl", "logs/run.log", "user_logs/std_log.txt"],
    );
    assert.deepEqual(collectOutput(workspace, "model"), [{ artifactPath: "model.pkl", localPath: path.join(workspace.data, "model", "model.pkl") }]);
  });

  it("refuses job, input and output names that could leave the job's folder", () => {
    assert.throws(() => createJobWorkspace(base, "../escape"), /^Error: The job name '\.\.\/escape' cannot name a folder of the job\.$/);
    const workspace = createJobWorkspace(base, "job_1");
    assert.throws(() => placeInput(workspace, "../x", source), /The input name '\.\.\/x' cannot name a folder of the job\./);
    assert.throws(() => outputFolder(workspace, "a/b"), /The output name 'a\/b' cannot name a folder of the job\./);
    assert.equal(fs.existsSync(path.join(base, "escape")), false);
  });
});
