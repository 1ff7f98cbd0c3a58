import * as assert from "node:assert/strict";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import { outputVariable } from "../AzureMLWorkspace/workspaceTaskBed";
import { endpointKey, scoringUri } from "./inMemoryOnlineEndpoints";
import { DeployTaskBed, managedSample, sampleRequest, servicePrincipalKey, workspaceId } from "./deployTaskBed";

function assertSucceeded(runner: MockTestRunner): void {
  assert.ok(runner.succeeded, runner.stdout + runner.stderr);
  assertNoLeak(runner, servicePrincipalKey);
}

/** A secret may appear only in the commands that register it with the agent's masker or set it as a secret variable. */
function assertNoLeak(runner: MockTestRunner, secret: string): void {
  const lines = runner.stdout.split("\n").filter((line) => line.includes(secret));
  const leaks = lines.filter((line) => !line.startsWith(`##vso[task.setsecret]`) && !/^##vso\[task\.setvariable variable=[^;]+;isOutput=true;issecret=true;\]/.test(line));
  assert.deepEqual(leaks, [], "a secret reached the log");
}

function assertOneSentenceFailure(runner: MockTestRunner, message: RegExp): void {
  assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
  assert.equal(runner.errorIssues.length, 1, runner.errorIssues.join("\n---\n"));
  assert.match(runner.errorIssues[0], message, runner.stdout);
  assert.doesNotMatch(runner.errorIssues[0], /\n|\bat .*\.js:\d+/, "one line, no stack");
}

const blueInputs = { endpointFile: managedSample.endpointFile, deploymentFile: managedSample.blue, smokeTestRequestFile: sampleRequest, trafficStepWaitSeconds: "0" };
const greenInputs = { ...blueInputs, deploymentFile: managedSample.green };

function lastBody<T>(bed: DeployTaskBed, operation: string, target: string): T {
  const call = bed
    .endpoints()
    .calls.filter((entry) => entry.operation === operation && entry.target === target)
    .at(-1);
  assert.ok(call, `no ${operation} ${target}`);
  return call.body as T;
}

describe("AzureMLDeploy task (MockTestRunner, in-memory Azure ML online endpoints)", function () {
  this.timeout(60_000);
  let bed: DeployTaskBed;

  beforeEach(() => {
    bed = DeployTaskBed.create();
  });
  afterEach(() => bed.remove());

  describe("a first deployment", () => {
    it("creates the endpoint, registers the inline model, code and environment, deploys, smoke-tests, then gives it all the traffic", async () => {
      const runner = await bed.run({ inputs: blueInputs });
      assertSucceeded(runner);

      assert.deepEqual(bed.endpointCalls(), [
        "putEndpoint my-endpoint",
        "putDeployment my-endpoint/blue",
        `score ${scoringUri("my-endpoint")} blue`,
        "putEndpoint my-endpoint",
      ]);
      const created = bed.endpoints().calls[0].body as OnlineEndpoint;
      assert.deepEqual(created, { location: "westeurope", identity: { type: "SystemAssigned" }, properties: { authMode: "Key", publicNetworkAccess: "Enabled" } });

      const deployment = lastBody<OnlineDeployment>(bed, "putDeployment", "my-endpoint/blue");
      assert.deepEqual(deployment.sku, { name: "Default", capacity: 1 });
      const properties = deployment.properties as unknown as Record<string, unknown>;
      assert.equal(properties.endpointComputeType, "Managed");
      assert.equal(properties.instanceType, "Standard_DS3_v2");
      assert.match(String(properties.model), new RegExp(`^${workspaceId}/models/[0-9a-f-]{36}/versions/1$`));
      assert.match(String(properties.environmentId), new RegExp(`^${workspaceId}/environments/CliV2AnonymousEnvironment/versions/[0-9a-f]{32}$`));
      assert.deepEqual(properties.codeConfiguration, {
        codeId: (properties.codeConfiguration as { codeId: string }).codeId,
        scoringScript: "score.py",
      });
      assert.deepEqual(properties.requestSettings, { requestTimeout: "PT5S", maxConcurrentRequestsPerInstance: 1, maxQueueWait: "PT0.5S" });
      assert.deepEqual(properties.livenessProbe, { failureThreshold: 30, successThreshold: 1, timeout: "PT2S", period: "PT10S", initialDelay: "PT10S" });
      assert.deepEqual(properties.scaleSettings, { scaleType: "Default" });

      const traffic = lastBody<OnlineEndpoint>(bed, "putEndpoint", "my-endpoint");
      assert.deepEqual(traffic.properties.traffic, { blue: 100 });
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });

      const model = Object.entries(bed.assets().models);
      assert.equal(model.length, 1);
      assert.equal(model[0][1].body.properties.isAnonymous, true);
      assert.match(String(model[0][1].body.properties.modelUri), /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/model$/);

      assert.equal(outputVariable(runner, "endpointName"), "my-endpoint");
      assert.equal(outputVariable(runner, "deploymentName"), "blue");
      assert.equal(outputVariable(runner, "scoringUri"), scoringUri("my-endpoint"));
      assert.equal(outputVariable(runner, "swaggerUri"), "https://my-endpoint.westeurope.inference.ml.azure.com/swagger.json");
      assert.equal(outputVariable(runner, "trafficBefore"), "{}");
      assert.equal(outputVariable(runner, "trafficAfter"), '{"blue":100}');
      assert.ok(runner.stdout.includes(`##vso[task.setvariable variable=endpointKey;isOutput=true;issecret=true;]${endpointKey("my-endpoint")}`), runner.stdout);
      assert.ok(runner.stdout.includes(`##vso[task.setsecret]${endpointKey("my-endpoint")}`), "the key is not masked");
      assertNoLeak(runner, endpointKey("my-endpoint"));

      const [summary] = bed.summaries();
      assert.match(summary, /### Deployment blue of endpoint my\\-endpoint: 100 % of the traffic/);
      assert.match(summary, /\| blue \| 0 % \| 100 % \| deployed now \|/);
      assert.ok(runner.stdout.includes("Deployment 'blue' of endpoint 'my-endpoint'"), runner.stdout);
    });
  });
});
