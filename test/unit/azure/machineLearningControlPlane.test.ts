import * as assert from "node:assert/strict";
import { MachineLearningControlPlane } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
import { captureTaskLibOutput, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "./dataPlaneTestBed";

const datastore = (name: string, isDefault: boolean) => ({
  id: `${WORKSPACE_PATH}/datastores/${name}`,
  name,
  properties: {
    datastoreType: "AzureBlob",
    isDefault,
    credentials: { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey" } },
    accountName: "saml01",
    containerName: name,
  },
});

describe("MachineLearningControlPlane", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let unsilence: () => void;

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/datastores$`), (request) => ({
      status: 200,
      body: {
        value:
          request.url.searchParams.get("isDefault") === "true"
            ? [datastore("workspaceblobstore", true)]
            : [datastore("other", false), datastore("workspaceblobstore", true)],
      },
    }));
    bed.server.route("POST", new RegExp(`^${WORKSPACE_PATH}/datastores/workspaceblobstore/listSecrets$`), () => ({
      status: 200,
      body: { secretsType: "AccountKey", key: "a2V5LWZvci10aGUtY29udHJvbC1wbGFuZQ==" },
    }));
    for (const path of ["codes/c/versions/1", "models/m/versions", "jobs/none"]) {
      bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/${path}$`), () => ({
        status: 404,
        body: { error: { code: "UserError", message: "Not found." } },
      }));
    }
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });

  const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };

  it("finds the default datastore with Azure's own filter, and reads its secrets", async () => {
    const controlPlane = new MachineLearningControlPlane(bed.session(), workspace);

    const found = await controlPlane.getDefaultDatastore();
    const { result: secrets, output } = await captureTaskLibOutput(() => controlPlane.listDatastoreSecrets("workspaceblobstore"));

    assert.equal(found?.name, "workspaceblobstore");
    assert.deepEqual(secrets, { secretsType: "AccountKey", key: "a2V5LWZvci10aGUtY29udHJvbC1wbGFuZQ==" });
    assert.ok(maskedValues(output).includes("a2V5LWZvci10aGUtY29udHJvbC1wbGFuZQ=="), "the key is masked before the caller has it");
    const list = bed.server.requestsTo(new RegExp(`^${WORKSPACE_PATH}/datastores$`)).at(-1);
    assert.equal(list?.url.searchParams.get("isDefault"), "true");
    assert.equal(list?.url.searchParams.get("api-version"), "2022-10-01");
  });

  it("reads a missing asset or job as absent, not as a failure", async () => {
    const controlPlane = new MachineLearningControlPlane(bed.session(), workspace);
    assert.equal(await controlPlane.getCodeVersion("c", "1"), undefined);
    assert.deepEqual(await controlPlane.listModelVersions("m"), []);
    assert.equal(await controlPlane.getJob("none"), undefined);
  });

  it("acts in the workspace's own subscription", async () => {
    const other = "bbbbbbbb-0000-4000-8000-000000000000";
    bed.server.route(
      "GET",
      new RegExp(`^/subscriptions/${other}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}$`),
      () => ({
        status: 200,
        body: { id: "x", name: WORKSPACE, properties: { discoveryUrl: "https://westeurope.api.azureml.ms/discovery" } },
      }),
    );
    const controlPlane = new MachineLearningControlPlane(bed.session(), { ...workspace, subscriptionId: other });
    assert.equal((await controlPlane.getWorkspace())?.discoveryUrl, "https://westeurope.api.azureml.ms/discovery");
  });
});
