import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DockerContextSourcesReport } from "./clients/dockerContextSources";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";

const samples = path.join(__dirname, "..", "..", "..", "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online");
const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/**
 * AzureMLDeploy's Docker context sources (AzureModelFiles, AzureEnvironmentSource) on the local
 * Azure, in a client process as the task runs them; strict mode checks every request.
 */
describe("local Azure: the Docker context's model files and environments", function () {
  this.timeout(300_000);
  let fixture: LocalAzureFixture | undefined;
  let report: DockerContextSourcesReport;

  before(async () => {
    fixture = await startFixture("docker-context");
    await runClient<ProvisionReport>(fixture.localAzure, "provisionWorkspace", ["ctx"]);
    report = await runClient<DockerContextSourcesReport>(fixture.localAzure, "dockerContextSources", ["rg-mlops-ctx", "aml-mlops-ctx"], 240_000);
  });
  after(() => stopFixture(fixture));

  it("downloads a model registered from a folder under its folder's name, every file with its bytes", () => {
    const folder = report.downloads["ctx-folder-model:1"];
    assert.equal(folder.topName, "model");
    assert.deepEqual(folder.files, ["model/extra/labels.json", "model/sklearn_regression_model.pkl"]);
    assert.equal(folder.sha256["model/sklearn_regression_model.pkl"], sha256(path.join(samples, "model-1", "model", "sklearn_regression_model.pkl")));
    assert.equal(folder.bytes, fs.statSync(path.join(samples, "model-1", "model", "sklearn_regression_model.pkl")).size + '["y"]\n'.length);
  });

  it("downloads a model registered from a single file as that file, and reads the long datastore URI form", () => {
    const file = report.downloads["ctx-file-model:4"];
    assert.equal(file.topName, "sklearn_regression_model.pkl");
    assert.deepEqual(file.files, ["sklearn_regression_model.pkl"]);
    assert.equal(file.sha256["sklearn_regression_model.pkl"], sha256(path.join(samples, "model-2", "model", "sklearn_regression_model.pkl")));
    assert.deepEqual(report.downloads["ctx-long-uri-model:1"].files, report.downloads["ctx-folder-model:1"].files);
  });

  it("reads registered environments by version, @latest (the newest), ARM id and curated name, and the azureml registry as its curated image", () => {
    const { environments } = report;
    assert.deepEqual(environments.version, {
      description: "azureml:ctx-env:1",
      image: "python:3.11-slim",
      condaFile: "dependencies:\n  - python=3.11\n",
      osType: "linux",
    });
    assert.equal(environments.latest.description, "azureml:ctx-env:2");
    assert.equal(environments.latest.image, "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest");
    assert.match(environments.latest.condaFile ?? "", /scikit-learn=1\.7\.0/);
    assert.equal(environments.armId.description, "azureml:ctx-env:1");
    assert.deepEqual(environments.curated, {
      description: "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu:1",
      image: "mcr.microsoft.com/azureml/curated/sklearn-1.0-ubuntu20.04-py38-cpu:latest",
      osType: "linux",
    });
    assert.equal(environments.registry.image, "mcr.microsoft.com/azureml/curated/sklearn-1.5:12");
  });

  it("refuses, in one sentence each, a missing model version or environment, another registry and another workspace", () => {
    const { refused } = report;
    assert.match(refused.missingModel, /^InputError: Model ctx-folder-model:9 does not exist in workspace 'aml-mlops-ctx'\.$/);
    assert.match(refused.missingEnvironment, /^InputError: Environment 'azureml:no-such-env:1' does not exist in workspace 'aml-mlops-ctx'\.$/);
    assert.match(
      refused.otherRegistry,
      /^InputError: Environment .* is in registry 'team-registry', which the Azure ML API these tasks use \(2022-10-01\) cannot read/,
    );
    assert.match(refused.otherWorkspace, /^InputError: Environment .* belongs to workspace 'elsewhere'/);
  });

  it("writes a whole context from the workspace: the model's files, the newest environment's conda file as requirements", () => {
    const { context } = report;
    assert.deepEqual(
      context.files.filter((file) => file.startsWith("azureml-models/")),
      ["azureml-models/ctx-folder-model/1/model/extra/labels.json", "azureml-models/ctx-folder-model/1/model/sklearn_regression_model.pkl"],
    );
    assert.equal(context.baseImage, "python:3.12-slim");
    assert.ok(context.requirements.includes("scikit-learn==1.7.0"));
    assert.match(context.dockerfile, /# Base image: python:3\.12-slim for the conda file's Python 3\.12: .*the image of azureml:ctx-env:2/);
  });
});
