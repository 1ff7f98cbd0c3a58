import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chooseServingPython } from "../../../local/azure/services/machinelearning/online/serving/servingPython";
import { pythonWithSklearn, temporaryFolder } from "../jobRunner/jobTestSupport";

describe("local Azure: the Python deployments are served with", function () {
  this.timeout(60000);
  let folder: string;

  before(() => (folder = temporaryFolder("serving-python")));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("is the jobs' Python when it can import Flask", () => {
    const python = pythonWithSklearn().executable;
    assert.deepEqual(chooseServingPython(python), { ok: true, executable: python });
  });

  it("is refused, naming it and how to add Flask, when it cannot", () => {
    // A bare virtual environment: a Python without Flask, made here without any download.
    const made = spawnSync(pythonWithSklearn().executable, ["-m", "venv", "--without-pip", path.join(folder, "bare")], { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const bare = path.join(folder, "bare", "bin", "python");
    const choice = chooseServingPython(bare);
    assert.equal(choice.ok, false);
    if (choice.ok) return;
    assert.match(choice.message, /^The local Azure's Python \(\/.+\) cannot import Flask, which the scoring app needs: run 'apt-get install python3-flask'/);
  });

  it("is refused when the option names no Python", () => {
    const choice = chooseServingPython(path.join(folder, "no-such-python"));
    assert.equal(choice.ok, false);
    if (!choice.ok) assert.match(choice.message, /does not run as a Python interpreter/);
  });
});
