import * as assert from "node:assert/strict";
import type { OnlineDeployment } from "@azure/arm-machinelearning";
import { assertOneSentenceFailure, assertSucceeded } from "./deployAssertions";
import { DeployTaskBed, managedSample, sampleRequest, workspaceId } from "./deployTaskBed";

/** A deployment of the sample's code and environment that names no model. */
const withoutModel = [
  "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json",
  "name: blue",
  "endpoint_name: my-endpoint",
  "code_configuration:",
  "  code: model-1/onlinescoring/",
  "  scoring_script: score.py",
  "environment: azureml:sklearn-env:2",
  "instance_type: Standard_DS3_v2",
  "instance_count: 1",
].join("\n");

describe("AzureMLDeploy task: which model is deployed", function () {
  this.timeout(60_000);
  let bed: DeployTaskBed;
  const inputs = { endpointFile: managedSample.endpointFile, deploymentFile: managedSample.blue, smokeTestRequestFile: sampleRequest };

  beforeEach(() => {
    bed = DeployTaskBed.create();
    bed.write("online/no-model.yml", withoutModel);
  });
  afterEach(() => bed.remove());

  function deployedModel(): string | undefined {
    const call = bed
      .endpoints()
      .calls.filter((entry) => entry.operation === "putDeployment")
      .at(-1);
    return (call?.body as OnlineDeployment | undefined)?.properties.model ?? undefined;
  }

  it("takes input 'model' as <name>:<version> over the file's inline model, registering nothing", async () => {
    bed.addModel("churn", "3");
    const runner = await bed.run({ inputs: { ...inputs, model: "churn:3" } });
    assertSucceeded(runner);
    assert.equal(deployedModel(), `${workspaceId}/models/churn/versions/3`);
    assert.ok(!bed.assetChanges().some((change) => change.startsWith("createModel")), bed.assetChanges().join("\n"));
    assert.ok(runner.stdout.includes("Model: churn:3 (input 'model')."), runner.stdout);
  });

  it("resolves <name>@latest once to the newest version and says which", async () => {
    bed.addModel("churn", "3");
    bed.addModel("churn", "4");
    const runner = await bed.run({ inputs: { ...inputs, model: "azureml:churn@latest" } });
    assertSucceeded(runner);
    assert.equal(deployedModel(), `${workspaceId}/models/churn/versions/4`);
    assert.ok(runner.stdout.includes("Model churn@latest is version 4."), runner.stdout);
    assert.equal(bed.assets().calls.filter((call) => call.operation === "latestModel").length, 1);
  });

  it("takes the file's azureml:<name>:<version> reference", async () => {
    bed.addModel("my-model", "1");
    bed.changeAssets((state) => (state.environments["my-env:1"] = { body: { properties: {} }, created: 99 }));
    assertSucceeded(await bed.run({ inputs: { ...inputs, deploymentFile: managedSample.registeredAssets } }));
    assert.equal(deployedModel(), `${workspaceId}/models/my-model/versions/1`);
  });

  it("deploys the model the last AzureMLRegisterModel step registered when neither the input nor the file names one", async () => {
    bed.addModel("churn", "7");
    const runner = await bed.run({
      inputs: { ...inputs, deploymentFile: "online/no-model.yml" },
      variables: { AZUREML_LAST_MODEL_NAME: "churn", AZUREML_LAST_MODEL_VERSION: "7" },
    });
    assertSucceeded(runner);
    assert.equal(deployedModel(), `${workspaceId}/models/churn/versions/7`);
    assert.ok(runner.stdout.includes("(variables AZUREML_LAST_MODEL_NAME and AZUREML_LAST_MODEL_VERSION (the last AzureMLRegisterModel step))"), runner.stdout);
  });

  it("deploys no model when nothing names one (a scoring script that brings its own)", async () => {
    const runner = await bed.run({ inputs: { ...inputs, deploymentFile: "online/no-model.yml" } });
    assertSucceeded(runner);
    assert.equal(deployedModel(), undefined);
  });

  for (const [what, model, message] of [
    ["a version that is not registered", "churn:9", /^Model churn:9 \(input 'model'\) is not registered in workspace 'amlmlopsdev01'\.$/],
    [
      "@latest of a model without versions",
      "churn@latest",
      /^Model churn@latest \(input 'model'\): model 'churn' has no version in workspace 'amlmlopsdev01'\.$/,
    ],
  ] as const) {
    it(`refuses ${what} before anything is uploaded or created`, async () => {
      const runner = await bed.run({ inputs: { ...inputs, model } });
      assertOneSentenceFailure(runner, message);
      assert.deepEqual(bed.endpointCalls(), []);
      assert.deepEqual(bed.assetChanges(), []);
    });
  }
});
