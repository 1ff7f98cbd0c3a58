import * as assert from "node:assert/strict";
import type { CommandJob } from "@azure/arm-machinelearning";
import { SwaggerValidator } from "../../../local/azure/validation/swaggerValidator";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { commandJobBody, type ResolvedJobAssets } from "../../../tasks/AzureMLTrain/src/submission/commandJobBody";
import { checkSubmittable } from "../../../tasks/AzureMLTrain/src/submission/supportedFields";
import { YamlFolder } from "../azureml/yamlFixtures";

const workspaceId = "/subscriptions/00000000-1111-4222-8333-444444444444/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";
const jobUrl = `https://management.azure.com${workspaceId}/jobs/brave_lamp_0123456789?api-version=2022-10-01`;

const fullJob = [
  "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
  "command: python train.py --data ${{inputs.training_data}} --rate ${{inputs.rate}} --out ${{outputs.model}}",
  "code: src",
  "environment: azureml:sklearn:3",
  "compute: azureml:cpu-cluster",
  "experiment_name: churn",
  "display_name: Churn training",
  "description: Trains the churn model.",
  "tags: {team: ml}",
  "environment_variables: {MLFLOW_TRACKING: 'true'}",
  "inputs:",
  "  rate: 0.5",
  "  training_data:",
  "    type: uri_folder",
  "    path: data",
  "    mode: download",
  "outputs:",
  "  model:",
  "    type: uri_folder",
  "    mode: upload",
  "resources:",
  "  instance_count: 2",
  "  shm_size: 4g",
  "limits:",
  "  timeout: 3600",
  "distribution:",
  "  type: pytorch",
  "  process_count_per_instance: 2",
  "identity:",
  "  type: user_identity",
].join("\n");

const assets: ResolvedJobAssets = {
  environmentId: `${workspaceId}/environments/sklearn/versions/3`,
  codeId: `${workspaceId}/codes/1b2c/versions/1`,
  computeId: `${workspaceId}/computes/cpu-cluster`,
  inputUris: { training_data: "azureml://datastores/workspaceblobstore/paths/LocalUpload/abc/data/" },
};

describe("AzureMLTrain: the CommandJob body (api-version 2022-10-01)", function () {
  this.timeout(60_000);
  let folder: YamlFolder;
  let validator: SwaggerValidator;

  before(async () => {
    validator = await SwaggerValidator.create(() => undefined);
  });
  beforeEach(() => {
    folder = new YamlFolder();
    folder.folder("src");
    folder.folder("data");
  });
  afterEach(() => folder.remove());

  function jobFrom(yaml: string) {
    return readCommandJobFile(folder.write("job.yml", yaml), "jobFile", { defaultExperimentName: "pipeline" });
  }

  async function swaggerIssues(body: unknown): Promise<string[]> {
    const outcome = await validator.validateRequest({ url: jobUrl, method: "PUT", headers: { "content-type": "application/json" }, body });
    assert.ok(outcome.matched, "Jobs_CreateOrUpdate was not matched");
    return outcome.issues.map((issue) => `${issue.code} ${issue.path}: ${issue.message}`);
  }

  it("maps every field of a full job to the swagger's names, and the swagger accepts it", async () => {
    const job = jobFrom(fullJob);
    checkSubmittable(job);
    const body = commandJobBody(job, assets, { team: "ml", "azure_pipelines.build_id": "42" });
    const properties = body.properties as CommandJob;
    assert.equal(properties.jobType, "Command");
    assert.equal(properties.environmentId, assets.environmentId);
    assert.equal(properties.codeId, assets.codeId);
    assert.equal(properties.computeId, assets.computeId);
    assert.equal(properties.experimentName, "churn");
    assert.equal(properties.displayName, "Churn training");
    assert.deepEqual(properties.tags, { team: "ml", "azure_pipelines.build_id": "42" });
    assert.deepEqual(properties.environmentVariables, { MLFLOW_TRACKING: "true" });
    assert.deepEqual(properties.inputs, {
      rate: { jobInputType: "literal", value: "0.5" },
      training_data: { jobInputType: "uri_folder", uri: assets.inputUris.training_data, mode: "Download" },
    });
    assert.deepEqual(properties.outputs, { model: { jobOutputType: "uri_folder", mode: "Upload" } });
    assert.deepEqual(properties.resources, { instanceCount: 2, shmSize: "4g" });
    assert.deepEqual(properties.limits, { jobLimitsType: "Command", timeout: "PT3600S" });
    assert.deepEqual(properties.distribution, { distributionType: "PyTorch", processCountPerInstance: 2 });
    assert.deepEqual(properties.identity, { identityType: "UserIdentity" });
    assert.deepEqual(await swaggerIssues(body), []);
  });

  it("leaves computeId and codeId out for serverless compute and a job without code, as the swagger allows", async () => {
    const job = jobFrom("command: echo hi\nenvironment: azureml:sklearn:3\n");
    const body = commandJobBody(job, { environmentId: assets.environmentId, inputUris: {} }, {});
    const properties = body.properties as CommandJob;
    assert.equal("computeId" in properties, false);
    assert.equal("codeId" in properties, false);
    assert.equal("tags" in properties, false, "no empty tags object");
    assert.equal(properties.experimentName, "pipeline");
    assert.deepEqual(await swaggerIssues(body), []);
  });

  it("is refused by the swagger when a required field is missing: the check can fail", async () => {
    const job = jobFrom("command: echo hi\nenvironment: azureml:sklearn:3\n");
    const body = commandJobBody(job, { environmentId: assets.environmentId, inputUris: {} }, {});
    delete (body.properties as Partial<CommandJob>).command;
    assert.notDeepEqual(await swaggerIssues(body), []);
  });

  it("maps mpi and tensorflow distributions, managed and AML token identities", () => {
    const mpi = commandJobBody(
      jobFrom("command: x\nenvironment: azureml:e:1\ndistribution: {type: mpi, process_count_per_instance: 4}\nidentity: {type: aml_token}\n"),
      assets,
      {},
    );
    assert.deepEqual((mpi.properties as CommandJob).distribution, { distributionType: "Mpi", processCountPerInstance: 4 });
    assert.deepEqual((mpi.properties as CommandJob).identity, { identityType: "AMLToken" });
    const tf = commandJobBody(
      jobFrom("command: x\nenvironment: azureml:e:1\ndistribution: {type: tensorflow, worker_count: 2}\nidentity: {type: managed, client_id: abc}\n"),
      assets,
      {},
    );
    assert.deepEqual((tf.properties as CommandJob).distribution, { distributionType: "TensorFlow", workerCount: 2, parameterServerCount: undefined });
    assert.deepEqual((tf.properties as CommandJob).identity, { identityType: "Managed", clientId: "abc", objectId: undefined, resourceId: undefined });
  });

  describe("refuses, by field, what the 2022-10-01 API cannot carry, before any Azure call", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["compute: local", "command: x\nenvironment: azureml:e:1\ncompute: local\n", /'compute: local'/],
      ["queue_settings", "command: x\nenvironment: azureml:e:1\nqueue_settings: {job_tier: spot}\n", /'queue_settings'/],
      [
        "an output registered by name",
        "command: x\nenvironment: azureml:e:1\noutputs:\n  model:\n    type: uri_folder\n    name: churn\n",
        /job\.yml:4: output 'model' sets 'name'/,
      ],
      [
        "an output mode the API lacks",
        "command: x\nenvironment: azureml:e:1\noutputs:\n  model:\n    mode: direct\n",
        /job\.yml:4: output 'model' has mode 'direct'/,
      ],
      ["an environment label other than latest", "command: x\nenvironment: azureml:e@prod\n", /only @latest/],
      ["ray distribution", "command: x\nenvironment: azureml:e:1\ndistribution: {type: ray}\n", /ray/],
    ];
    for (const [what, yaml, message] of cases) {
      it(what, () => {
        const job = jobFrom(yaml);
        assert.throws(
          () => checkSubmittable(job),
          (error: Error) => error.name === "InputError" && message.test(error.message) && error.message.startsWith("Input 'jobFile': "),
        );
      });
    }
  });
});
