import * as assert from "node:assert/strict";
import { AzureJobGateway } from "../../../tasks/common/src/jobs/azureJobGateway";
import { SwaggerValidator } from "../../../local/azure/validation/swaggerValidator";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { AzureAssetGateway } from "../../../tasks/common/src/assets/azureAssetGateway";
import { commandJobBody } from "../../../tasks/AzureMLTrain/src/submission/commandJobBody";
import { anonymousEnvironmentName, anonymousEnvironmentVersion, inlineEnvironmentBody } from "../../../tasks/common/src/assets/anonymousEnvironment";
import type { RecordedRequest } from "../../support/httpsTestServer";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { YamlFolder } from "../azureml/yamlFixtures";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "../azure/dataPlaneTestBed";

/*
 * What the task sends, as it reaches the wire through @azure/arm-machinelearning's serializer,
 * checked against the 2022-10-01 swagger: the body the SDK sends is what Azure validates, not
 * the object the task built.
 */

const echo = (request: RecordedRequest) => ({
  status: 201,
  body: { id: request.url.pathname, name: request.url.pathname.split("/").at(-1), ...(JSON.parse(request.body) as object) },
});

describe("AzureMLTrain on the wire (api-version 2022-10-01)", function () {
  this.timeout(60_000);
  let bed: DataPlaneTestBed;
  let validator: SwaggerValidator;
  let unsilence: () => void;
  let folder: YamlFolder;
  const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };

  before(async () => {
    unsilence = silenceTaskLib();
    validator = await SwaggerValidator.create(() => undefined);
    bed = await DataPlaneTestBed.start();
    bed.server.route("PUT", new RegExp(`^${WORKSPACE_PATH}/(jobs|codes|environments)/`), echo);
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/environments/sklearn/versions$`), () => ({
      status: 200,
      body: {
        value: [
          { id: `${WORKSPACE_PATH}/environments/sklearn/versions/7`, name: "7", properties: {}, systemData: { createdAt: "2026-11-02T10:00:00Z" } },
          { id: `${WORKSPACE_PATH}/environments/sklearn/versions/9`, name: "9", properties: {}, systemData: { createdAt: "2026-11-03T10:00:00Z" } },
        ],
      },
    }));
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/environments/none/versions$`), () => ({
      status: 404,
      body: { error: { code: "UserError", message: "Not found." } },
    }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });
  beforeEach(() => (folder = new YamlFolder()));
  afterEach(() => folder.remove());

  async function swaggerIssues(request: RecordedRequest | undefined): Promise<string[]> {
    assert.ok(request, "no request sent");
    const outcome = await validator.validateRequest({
      url: `https://management.azure.com${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: { "content-type": "application/json" },
      body: JSON.parse(request.body) as unknown,
    });
    assert.ok(outcome.matched, `${request.method} ${request.url.pathname} matched no swagger operation`);
    return outcome.issues.map((issue) => `${issue.code} ${issue.path}: ${issue.message}`);
  }

  it("submits a full command job whose wire body the swagger accepts", async () => {
    folder.folder("data");
    const job = readCommandJobFile(
      folder.write(
        "job.yml",
        [
          "command: python train.py --data ${{inputs.data}} --rate ${{inputs.rate}}",
          "environment: azureml:sklearn:3",
          "compute: azureml:cpu",
          "experiment_name: churn",
          "tags: {team: ml}",
          "environment_variables: {A: '1'}",
          "inputs:",
          "  rate: 0.1",
          "  data: {type: uri_folder, path: data, mode: download}",
          "outputs:",
          "  model: {type: mlflow_model}",
          "resources: {instance_count: 2, shm_size: 2g}",
          "limits: {timeout: 600}",
          "distribution: {type: mpi, process_count_per_instance: 1}",
          "identity: {type: managed}",
        ].join("\n"),
      ),
      "jobFile",
    );
    const body = commandJobBody(
      job,
      {
        environmentId: `${WORKSPACE_PATH}/environments/sklearn/versions/3`,
        computeId: `${WORKSPACE_PATH}/computes/cpu`,
        codeId: `${WORKSPACE_PATH}/codes/c/versions/1`,
        inputUris: { data: "azureml://datastores/workspaceblobstore/paths/LocalUpload/0123/data/" },
      },
      { team: "ml", "azure_pipelines.build_id": "42" },
    );
    await new AzureJobGateway(bed.session(), workspace).submit("brave_lamp_1", body);
    const sent = bed.server.requestsTo(new RegExp(`^${WORKSPACE_PATH}/jobs/brave_lamp_1$`)).at(-1);
    assert.deepEqual(await swaggerIssues(sent), []);
    const wire = JSON.parse(sent?.body ?? "{}") as { properties: Record<string, unknown> };
    assert.equal(wire.properties.jobType, "Command");
    assert.deepEqual(wire.properties.limits, { jobLimitsType: "Command", timeout: "PT600S" });
    assert.deepEqual(wire.properties.inputs, {
      rate: { jobInputType: "literal", value: "0.1" },
      data: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/LocalUpload/0123/data/", mode: "Download" },
    });
    assert.deepEqual(wire.properties.outputs, { model: { jobOutputType: "mlflow_model", mode: "ReadWriteMount" } });
  });

  it("reads a job's outputs back with their URIs (the SDK's serializer alone drops them)", async () => {
    const uri = "azureml://datastores/workspaceblobstore/paths/azureml/brave_lamp_2/model/";
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/jobs/brave_lamp_2$`), () => ({
      status: 200,
      body: {
        id: `${WORKSPACE_PATH}/jobs/brave_lamp_2`,
        name: "brave_lamp_2",
        properties: {
          jobType: "Command",
          status: "Completed",
          command: "x",
          environmentId: "e",
          outputs: { model: { jobOutputType: "mlflow_model", mode: "ReadWriteMount", uri } },
        },
      },
    }));
    const state = await new AzureJobGateway(bed.session(), workspace).get("brave_lamp_2");
    assert.deepEqual(state?.outputs, { model: { type: "mlflow_model", uri } });
  });

  it("creates an anonymous environment and a code version whose wire bodies the swagger accepts", async () => {
    const gateway = new AzureAssetGateway(bed.session(), workspace);
    const environment = inlineEnvironmentBody({
      kind: "inline",
      image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
      condaFile: { kind: "inline", specification: { dependencies: ["python=3.10"] } },
      osType: "linux",
      tags: {},
    });
    const version = anonymousEnvironmentVersion(environment);
    await gateway.createEnvironmentVersion(anonymousEnvironmentName, version, environment);
    assert.deepEqual(await swaggerIssues(bed.server.requestsTo(new RegExp(`/environments/${anonymousEnvironmentName}/versions/${version}$`)).at(-1)), []);

    await gateway.createCodeVersion("0b7e", "1", { properties: { isAnonymous: true, codeUri: "https://sa.blob.core.windows.net/c/LocalUpload/0123/src" } });
    assert.deepEqual(await swaggerIssues(bed.server.requestsTo(/\/codes\/0b7e\/versions\/1$/).at(-1)), []);
  });

  it("resolves @latest as azure-ai-ml does: versions newest first, the first one; none for an unknown environment", async () => {
    const gateway = new AzureAssetGateway(bed.session(), workspace);
    assert.equal(await gateway.latestEnvironmentVersion("sklearn"), "9");
    const list = bed.server.requestsTo(new RegExp(`^${WORKSPACE_PATH}/environments/sklearn/versions$`)).at(-1);
    assert.equal(list?.url.searchParams.get("$orderBy"), "createdtime desc");
    assert.equal(list?.url.searchParams.get("$top"), "1");
    assert.equal(await gateway.latestEnvironmentVersion("none"), undefined);
  });
});
