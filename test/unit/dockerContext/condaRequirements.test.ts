import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { condaPackagesOf, requirementsFileText, withServingPackages } from "../../../tasks/AzureMLDeploy/src/dockerContext/condaRequirements";

const model1Conda = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "..",
  "test",
  "unit",
  "azureml",
  "fixtures",
  "azureml-examples",
  "cli",
  "endpoints",
  "online",
  "model-1",
  "environment",
  "conda.yaml",
);

const origin = "The conda file 'conda.yaml'";
const packagesOf = (dependencies: unknown[]) => condaPackagesOf({ name: "env", dependencies }, origin);

describe("conda file → requirements.txt", () => {
  it("maps the azureml-examples model-1 conda file: conda packages pinned for pip, the pip list as written, flask and gunicorn added", () => {
    const packages = condaPackagesOf(load(fs.readFileSync(model1Conda, "utf8")), origin);
    assert.equal(packages.pythonVersion, "3.12");
    assert.deepEqual(packages.requirements, [
      "numpy==2.3.1",
      "scikit-learn==1.7.0",
      "scipy==1.16.0",
      "azureml-inference-server-http==1.4.1",
      "inference-schema[numpy-support]",
      "joblib",
      "flask",
      "gunicorn",
    ]);
    assert.deepEqual(
      packages.leftOut.map((entry) => entry.dependency),
      ["python=3.12", "pip=25.1.1"],
    );
  });

  it("reads conda's version forms: fuzzy '=', exact '==', ranges, a space before the version, build strings and channels", () => {
    const packages = packagesOf([
      "pandas=1.5",
      "numpy=1.26.*",
      "scipy==1.11.4",
      "joblib>=1.2,<2",
      "lightgbm 3.3.*",
      "xgboost 1.7.6 py311_0",
      "conda-forge::requests=2.31.0=pyhd8ed1ab_0",
      "matplotlib",
    ]);
    assert.deepEqual(packages.requirements.slice(0, -2), [
      "pandas==1.5.*",
      "numpy==1.26.*",
      "scipy==1.11.4",
      "joblib>=1.2,<2",
      "lightgbm==3.3.*",
      "xgboost==1.7.6",
      "requests==2.31.0",
      "matplotlib",
    ]);
  });

  it("renames conda packages whose pip package has another name", () => {
    const packages = packagesOf(["pytorch=2.1.0", "py-xgboost=1.7.6", "matplotlib-base", "msgpack-python"]);
    assert.deepEqual(packages.requirements.slice(0, -2), ["torch==2.1.0", "xgboost==1.7.6", "matplotlib", "msgpack"]);
  });

  it("leaves out the interpreter, pip and conda-only system packages, saying why", () => {
    const packages = packagesOf(["python=3.9.18", "pip", "cudatoolkit=11.8", "libgcc-ng", "_openmp_mutex", "mkl", "r-base", "librosa=0.10.1"]);
    assert.equal(packages.pythonVersion, "3.9");
    assert.deepEqual(packages.requirements, ["librosa==0.10.1", "flask", "gunicorn"]);
    assert.deepEqual(
      packages.leftOut.map((entry) => entry.dependency),
      ["python=3.9.18", "pip", "cudatoolkit=11.8", "libgcc-ng", "_openmp_mutex", "mkl", "r-base"],
    );
    assert.match(packages.leftOut[0].reason, /base image/);
    assert.match(packages.leftOut[2].reason, /not a Python package/);
  });

  it("keeps a version of flask or gunicorn the environment asks for, whatever its spelling", () => {
    assert.deepEqual(withServingPackages(["Flask==2.2.5", "numpy"]), ["Flask==2.2.5", "numpy", "gunicorn"]);
    assert.deepEqual(withServingPackages(["gunicorn>=21", "flask"]), ["gunicorn>=21", "flask"]);
    assert.deepEqual(withServingPackages([]), ["flask", "gunicorn"]);
  });

  it("refuses a pip entry that refers to a file the context does not carry, and specifications pip cannot read", () => {
    assert.throws(() => packagesOf([{ pip: ["-r requirements.txt"] }]), /pip entry '-r requirements.txt'.*local file/);
    assert.throws(() => packagesOf([{ pip: ["./my_package"] }]), /local file or folder/);
    assert.throws(() => packagesOf(["numpy 1.2|1.3"]), /alternative versions/);
    assert.throws(() => condaPackagesOf(["numpy"], origin), /not a conda environment specification/);
    assert.throws(() => condaPackagesOf({ dependencies: "numpy" }, origin), /'dependencies' that is not a list/);
  });

  it("writes requirements.txt with why there is no conda in the image and what was left out", () => {
    const text = requirementsFileText(packagesOf(["python=3.11", "cudatoolkit", "numpy=1.26.4"]), "the conda file of azureml:env:1");
    const lines = text.trimEnd().split("\n");
    assert.deepEqual(
      lines.filter((line) => !line.startsWith("#")),
      ["numpy==1.26.4", "flask", "gunicorn"],
    );
    assert.match(text, /^# Python packages of the scoring image, from the conda file of azureml:env:1\./);
    assert.match(text, /no conda in the image/);
    assert.match(text, /#\s+cudatoolkit: a conda or system package/);
  });
});
