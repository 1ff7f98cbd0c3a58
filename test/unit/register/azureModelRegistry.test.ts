import * as assert from "node:assert/strict";
import { AzureModelRegistry } from "../../../tasks/AzureMLRegisterModel/src/registry/azureModelRegistry";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "../azure/dataPlaneTestBed";

/* The model registry's calls as Azure ML's REST API 2022-10-01 takes and answers them (mfe.json ModelVersion). */

const versionId = (name: string, version: string) => `${WORKSPACE_PATH}/models/${name}/versions/${version}`;

describe("AzureModelRegistry (model versions on the 2022-10-01 REST API)", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let unsilence: () => void;
  const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/models/churn/versions$`), () => ({
      status: 200,
      body: {
        value: [
          {
            id: versionId("churn", "1"),
            name: "1",
            type: "Microsoft.MachineLearningServices/workspaces/models/versions",
            systemData: { createdAt: "2026-01-02T03:04:05Z", createdBy: "someone" },
            properties: {
              modelUri: "azureml://jobs/j1/outputs/model",
              modelType: "mlflow_model",
              jobName: "j1",
              isArchived: false,
              tags: { "metric.rmse": "3.5", cleared: null },
              properties: { "metric.rmse": "3.5" },
            },
          },
        ],
      },
    }));
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/models/new-model/versions$`), () => ({
      status: 404,
      body: { error: { code: "UserError", message: "Not found." } },
    }));
    bed.server.route("PUT", new RegExp(`^${WORKSPACE_PATH}/models/churn/versions/2$`), (request) => ({
      status: 201,
      body: { id: versionId("churn", "2"), name: "2", ...(JSON.parse(request.body) as object) },
    }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });

  it("reads every version with its creation time, tags, properties, job and files", async () => {
    const registry = new AzureModelRegistry(bed.session(), workspace);
    const [version] = await registry.listVersions("churn");
    assert.deepEqual(version, {
      version: "1",
      id: versionId("churn", "1"),
      createdAt: new Date("2026-01-02T03:04:05Z"),
      tags: { "metric.rmse": "3.5" },
      properties: { "metric.rmse": "3.5" },
      isArchived: false,
      jobName: "j1",
      modelUri: "azureml://jobs/j1/outputs/model",
      modelType: "mlflow_model",
    });
  });

  it("reads a model that does not exist yet as one without versions", async () => {
    const registry = new AzureModelRegistry(bed.session(), workspace);
    assert.deepEqual(await registry.listVersions("new-model"), []);
  });

  it("creates a version with a PUT of modelUri, modelType, jobName, description, tags and properties", async () => {
    const registry = new AzureModelRegistry(bed.session(), workspace);
    const created = await registry.createVersion("churn", "2", {
      modelUri: "azureml://jobs/j2/outputs/artifacts/paths/outputs/model",
      modelType: "custom_model",
      jobName: "j2",
      description: "Churn",
      tags: { team: "ml" },
      properties: { "metric.rmse": "3.1" },
    });
    const put = bed.server.requestsTo(new RegExp(`^${WORKSPACE_PATH}/models/churn/versions/2$`)).at(-1);
    assert.equal(put?.method, "PUT");
    assert.equal(put?.url.searchParams.get("api-version"), "2022-10-01");
    assert.deepEqual(JSON.parse(put?.body ?? "{}"), {
      properties: {
        modelUri: "azureml://jobs/j2/outputs/artifacts/paths/outputs/model",
        modelType: "custom_model",
        jobName: "j2",
        description: "Churn",
        tags: { team: "ml" },
        properties: { "metric.rmse": "3.1" },
        isAnonymous: false,
        isArchived: false,
      },
    });
    assert.equal(created.id, versionId("churn", "2"));
    assert.equal(created.version, "2");
  });
});
