import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { choosePython, linkPythonBin, resetPythonProbeCache, resolveEnvironment } from "../../../local/azure/services/machinelearning/jobRunner/pythonRuntime";
import { temporaryFolder } from "./jobTestSupport";

/** A fake interpreter: a bash script that answers the probe like a Python with or without scikit-learn. */
function fakePython(dir: string, name: string, hasSklearn: boolean): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/bash\necho "${file}"\nexit ${hasSklearn ? 0 : 1}\n`, { mode: 0o755 });
  return file;
}

describe("local Azure job engine: which Python runs jobs", () => {
  let dir: string;

  beforeEach(() => {
    dir = temporaryFolder("python");
    resetPythonProbeCache();
  });

  afterEach(() => {
    resetPythonProbeCache();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes the option first, then LOCAL_AZURE_PYTHON, saying where the choice came from", () => {
    const fromOption = fakePython(dir, "option-python", false);
    const fromEnv = fakePython(dir, "env-python", true);
    assert.deepEqual(choosePython({ python: fromOption, env: { LOCAL_AZURE_PYTHON: fromEnv } }), {
      executable: fromOption,
      source: "option",
      hasSklearn: false,
    });
    assert.deepEqual(choosePython({ env: { LOCAL_AZURE_PYTHON: fromEnv } }), { executable: fromEnv, source: "LOCAL_AZURE_PYTHON", hasSklearn: true });
  });

  it("refuses a given interpreter that does not run, in one sentence naming where it came from", () => {
    assert.throws(() => choosePython({ env: { LOCAL_AZURE_PYTHON: path.join(dir, "nope") } }), {
      message: `LOCAL_AZURE_PYTHON names '${path.join(dir, "nope")}', which does not run as a Python interpreter.`,
    });
    assert.throws(
      () => choosePython({ python: "/bin/false" }),
      /^Error: The local Azure's python option names '\/bin\/false', which does not run as a Python interpreter\.$/,
    );
  });

  it("when searching, prefers a Python that can import scikit-learn over the first one that runs", () => {
    const plain = temporaryFolder("plain");
    const withSklearn = temporaryFolder("sklearn");
    try {
      const first = fakePython(plain, "python3", false);
      const good = fakePython(withSklearn, "python", true);
      assert.deepEqual(choosePython({ preferred: [path.join(dir, "absent")], env: { PATH: `${plain}:${withSklearn}` } }), {
        executable: good,
        source: "found",
        hasSklearn: true,
      });
      resetPythonProbeCache();
      fs.writeFileSync(good, `#!/bin/bash\necho "${good}"\nexit 1\n`);
      assert.deepEqual(
        choosePython({ preferred: [], env: { PATH: `${plain}:${withSklearn}` } }),
        { executable: first, source: "found", hasSklearn: false },
        "none has it: the first that runs",
      );
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
      fs.rmSync(withSklearn, { recursive: true, force: true });
    }
  });

  it("looks at /usr/bin/python3 first (Debian's, where .ci/run installs scikit-learn)", () => {
    const plain = temporaryFolder("plain");
    try {
      fakePython(plain, "python3", true);
      const chosen = choosePython({ env: { PATH: plain } });
      const debianHasSklearn = spawnSync("/usr/bin/python3", ["-c", "import sklearn"]).status === 0;
      if (debianHasSklearn) assert.equal(chosen.executable, "/usr/bin/python3");
      else assert.equal(chosen.executable, path.join(plain, "python3"));
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it("says how to get a Python when none runs", () => {
    assert.throws(() => choosePython({ preferred: [], env: { PATH: dir } }), {
      message: "The local Azure found no Python to run jobs with: install python3 or set LOCAL_AZURE_PYTHON to an interpreter.",
    });
  });

  it("links python and python3 in the job's bin folder to the chosen interpreter", () => {
    const python = { executable: fakePython(dir, "real-python", true), source: "found" as const, hasSklearn: true };
    const bin = path.join(dir, "bin");
    linkPythonBin(bin, python);
    linkPythonBin(bin, python); // again: the links are replaced, not an error
    assert.equal(fs.readlinkSync(path.join(bin, "python")), python.executable);
    assert.equal(fs.readlinkSync(path.join(bin, "python3")), python.executable);
  });

  it("resolves any environment (curated name, registry URI) to the local Python and records image and conda file unbuilt", () => {
    const python = { executable: "/usr/bin/python3", source: "found" as const, hasSklearn: true };
    assert.deepEqual(resolveEnvironment(python, { reference: "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu" }), {
      reference: "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu",
      resolvedPython: "/usr/bin/python3",
    });
    assert.deepEqual(
      resolveEnvironment(python, { reference: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest", image: "img:1", condaFile: "name: x" }),
      {
        reference: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
        image: "img:1",
        condaFile: "name: x",
        resolvedPython: "/usr/bin/python3",
      },
    );
  });
});
