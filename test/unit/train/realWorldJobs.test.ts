import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readModelFile } from "../../../tasks/common/src/azureml/modelFile";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { exampleFile } from "../azureml/yamlFixtures";

/* Job and model files from Azure/azureml-examples, unchanged, read as az ml reads them. */

const jobFiles = [
  "cli/jobs/basics/hello-code.yml",
  "cli/jobs/basics/hello-iris-datastore-file.yml",
  "cli/jobs/basics/hello-iris-datastore-folder.yml",
  "cli/jobs/basics/hello-iris-file.yml",
  "cli/jobs/basics/hello-iris-folder.yml",
  "cli/jobs/basics/hello-iris-literal.yml",
  "cli/jobs/basics/hello-world-env-var.yml",
  "cli/jobs/basics/hello-world-input.yml",
  "cli/jobs/basics/hello-world-org.yml",
  "cli/jobs/basics/hello-world-output-data.yml",
  "cli/jobs/basics/hello-world-output.yml",
  "cli/jobs/basics/hello-world.yml",
  "cli/jobs/single-step/lightgbm/iris/job.yml",
  "cli/jobs/single-step/pytorch/cifar-distributed/job.yml",
  "cli/jobs/single-step/scikit-learn/diabetes/job.yml",
  "cli/jobs/single-step/scikit-learn/iris/job-docker-context.yml",
  "cli/jobs/single-step/scikit-learn/iris/job.yml",
];

describe("real-world command job files (azureml-examples)", () => {
  for (const file of jobFiles) {
    it(`reads ${file}`, () => {
      const job = readCommandJobFile(exampleFile(file), "jobFile", { defaultExperimentName: "repo" });
      assert.ok(job.command.length > 0);
      assert.equal(job.file, exampleFile(file));
    });
  }

  it("reads the scikit-learn iris job: code beside the file, registry environment, literal and data inputs", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/single-step/scikit-learn/iris/job.yml"), "jobFile");
    assert.deepEqual(job.code, { kind: "localPath", text: "src", path: exampleFile("cli/jobs/single-step/scikit-learn/iris/src") });
    assert.deepEqual(job.environment, {
      kind: "reference",
      reference: {
        kind: "registryAsset",
        text: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
        registry: "azureml",
        collection: "environments",
        name: "sklearn-1.5",
        label: "latest",
      },
    });
    assert.deepEqual(job.compute, { kind: "named", name: "cpu-cluster", text: "azureml:cpu-cluster" });
    assert.deepEqual(job.inputs.C, { kind: "literal", value: 0.8, line: 13 });
    assert.deepEqual(job.inputs.kernel, { kind: "literal", value: "rbf", line: 14 });
    const iris = job.inputs.iris_csv;
    assert.equal(iris.kind === "data" && `${iris.type} ${iris.mode} ${iris.path.kind}`, "uri_file ro_mount storageUrl");
    assert.equal(job.experimentName, "sklearn-iris-example");
    assert.equal(job.experimentNameSource, "file");
    assert.equal(job.resources.instanceCount, 1);
  });

  it("takes an omitted compute as serverless and an omitted experiment name from the caller", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/basics/hello-world.yml"), "jobFile", { defaultExperimentName: "my-repo" });
    assert.deepEqual(job.compute, { kind: "serverless" });
    assert.equal(job.experimentName, "my-repo");
    assert.equal(job.experimentNameSource, "default");
    assert.deepEqual(job.environment, {
      kind: "inline",
      image: "library/python:latest",
      osType: "linux",
      description: undefined,
      tags: {},
      inferenceConfig: undefined,
    });
  });

  it("defaults the experiment name to the working directory's name, as az ml does", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/basics/hello-world.yml"), "jobFile");
    assert.equal(job.experimentName, path.basename(process.cwd()));
  });

  it("reads an inline environment built from a Docker context beside the file", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/single-step/scikit-learn/iris/job-docker-context.yml"), "jobFile");
    assert.equal(job.environment.kind, "inline");
    if (job.environment.kind !== "inline") return;
    assert.deepEqual(job.environment.build, {
      context: { kind: "localPath", text: "docker-context", path: exampleFile("cli/jobs/single-step/scikit-learn/iris/docker-context") },
      dockerfilePath: "Dockerfile",
    });
  });

  it("reads distribution and resources of the distributed PyTorch job", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/single-step/pytorch/cifar-distributed/job.yml"), "jobFile");
    assert.deepEqual(job.distribution, { type: "pytorch", processCountPerInstance: 1 });
    assert.equal(job.resources.instanceCount, 2);
    const cifar = job.inputs.cifar;
    assert.equal(cifar.kind === "data" && cifar.path.kind, "assetLabel");
  });

  it("reads an empty output as uri_folder in rw_mount, and a datastore input", () => {
    const output = readCommandJobFile(exampleFile("cli/jobs/basics/hello-world-output-data.yml"), "jobFile").outputs.hello_output;
    assert.deepEqual(output, { type: "uri_folder", mode: "rw_mount", line: 4 });
    const input = readCommandJobFile(exampleFile("cli/jobs/basics/hello-iris-datastore-file.yml"), "jobFile").inputs.iris_csv;
    assert.equal(input.kind === "data" && input.path.kind, "datastorePath");
  });

  it("reads an input named 'type' as the literal it is (hello-iris-literal.yml)", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/basics/hello-iris-literal.yml"), "jobFile");
    assert.deepEqual(job.inputs.type, { kind: "literal", value: "uri_file", line: 7 });
  });

  it("keeps tags, display name and a multi-line description", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/basics/hello-world-org.yml"), "jobFile");
    assert.deepEqual(job.tags, { hello: "world" });
    assert.equal(job.displayName, "hello-world-example");
    assert.match(job.description ?? "", /^# Azure Machine Learning "hello world" job\n/);
  });

  it("keeps environment variables", () => {
    const job = readCommandJobFile(exampleFile("cli/jobs/basics/hello-world-env-var.yml"), "jobFile");
    assert.deepEqual(job.environmentVariables, { hello_env_var: "hello world" });
  });
});

describe("real-world model files (azureml-examples)", () => {
  it("reads local-file.yml: a file beside the YAML, custom_model by default", () => {
    const model = readModelFile(exampleFile("cli/assets/model/local-file.yml"), "modelFile");
    assert.equal(model.name, "local-file-example");
    assert.equal(model.type, "custom_model");
    assert.equal(model.version, undefined);
    assert.deepEqual(model.path, { kind: "localPath", text: "mlflow-model/model.pkl", path: exampleFile("cli/assets/model/mlflow-model/model.pkl") });
    assert.equal(model.description, "Model created from local file.");
  });

  it("reads local-mlflow.yml: a folder in MLflow format", () => {
    const model = readModelFile(exampleFile("cli/assets/model/local-mlflow.yml"), "modelFile");
    assert.equal(model.type, "mlflow_model");
    assert.equal(model.path?.kind === "localPath" && model.path.path, exampleFile("cli/assets/model/mlflow-model"));
  });
});
