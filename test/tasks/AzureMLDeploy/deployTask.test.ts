import * as assert from "node:assert/strict";
import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import { outputVariable } from "../AzureMLWorkspace/workspaceTaskBed";
import { endpointKey, scoringUri } from "./inMemoryOnlineEndpoints";
import { assertNoLeak, assertOneSentenceFailure, assertSucceeded } from "./deployAssertions";
import { DeployTaskBed, kubernetesSample, managedSample, sampleRequest, workspaceId } from "./deployTaskBed";

const blueInputs = {
  endpointFile: managedSample.endpointFile,
  deploymentFile: managedSample.blue,
  smokeTestRequestFile: sampleRequest,
  trafficStepWaitSeconds: "0",
};
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
      assert.deepEqual(created, {
        location: "westeurope",
        identity: { type: "SystemAssigned" },
        properties: { authMode: "Key", publicNetworkAccess: "Enabled" },
      });

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
      assert.ok(
        runner.stdout.includes(`##vso[task.setvariable variable=endpointKey;isOutput=true;issecret=true;]${endpointKey("my-endpoint")}`),
        runner.stdout,
      );
      assert.ok(runner.stdout.includes(`##vso[task.setsecret]${endpointKey("my-endpoint")}`), "the key is not masked");
      assertNoLeak(runner, endpointKey("my-endpoint"));

      const [summary] = bed.summaries();
      assert.match(summary, /### Deployment blue of endpoint my\\-endpoint: 100 % of the traffic/);
      assert.match(summary, /\| blue \| 0 % \| 100 % \| deployed now \|/);
      assert.ok(runner.stdout.includes("Deployment 'blue' of endpoint 'my-endpoint'"), runner.stdout);
    });
  });

  describe("a second deployment, blue/green", () => {
    async function blueLive(): Promise<void> {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      bed.changeEndpoints((state) => (state.calls = []));
    }

    it("deploys green at 0 %, smoke-tests it alone, and only then moves the traffic; blue is kept", async () => {
      await blueLive();
      const runner = await bed.run({ inputs: greenInputs });
      assertSucceeded(runner);
      assert.deepEqual(bed.endpointCalls(), ["putDeployment my-endpoint/green", `score ${scoringUri("my-endpoint")} green`, "putEndpoint my-endpoint"]);
      const state = bed.endpoints().endpoints["my-endpoint"];
      assert.deepEqual(state.traffic, { blue: 0, green: 100 });
      assert.deepEqual(Object.keys(state.deployments).sort(), ["blue", "green"]);
      assert.equal(outputVariable(runner, "trafficBefore"), '{"blue":100}');
      assert.equal(outputVariable(runner, "trafficAfter"), '{"blue":0,"green":100}');
      assert.ok(runner.stdout.includes("Endpoint 'my-endpoint' exists (Succeeded): kept."), runner.stdout);
      const summary = bed.summaries().find((text) => text.includes("Deployment green")) ?? "";
      assert.match(summary, /\| blue \| 100 % \| 0 % \| {2}\|/);
      assert.match(summary, /\| green \| 0 % \| 100 % \| deployed now \|/);
    });

    it("gives green a share and splits the rest over the deployments live before, in proportion", async () => {
      await blueLive();
      const runner = await bed.run({ inputs: { ...greenInputs, trafficPercent: "30" } });
      assertSucceeded(runner);
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 70, green: 30 });
    });

    it("moves the traffic in steps, each from the traffic before: 10 %, 50 %, then 100 %", async () => {
      await blueLive();
      const runner = await bed.run({ inputs: { ...greenInputs, trafficSteps: "10, 50" } });
      assertSucceeded(runner);
      const traffics = bed
        .endpoints()
        .calls.filter((call) => call.operation === "putEndpoint")
        .map((call) => (call.body as OnlineEndpoint).properties.traffic);
      assert.deepEqual(traffics, [
        { blue: 90, green: 10 },
        { blue: 50, green: 50 },
        { blue: 0, green: 100 },
      ]);
      assert.ok(runner.stdout.includes("Traffic step 1 of 3: blue 90 %, green 10 % (was blue 100 %)."), runner.stdout);
      assert.ok(runner.stdout.includes("Traffic step 3 of 3: green 100 % (was blue 50 %, green 50 %)."), runner.stdout);
    });

    it("deletes the previous deployment once it has no traffic, when asked", async () => {
      await blueLive();
      const runner = await bed.run({ inputs: { ...greenInputs, previousDeployments: "delete" } });
      assertSucceeded(runner);
      assert.deepEqual(bed.endpointCalls().slice(-2), ["putEndpoint my-endpoint", "deleteDeployment my-endpoint/blue"]);
      assert.deepEqual(Object.keys(bed.endpoints().endpoints["my-endpoint"].deployments), ["green"]);
      assert.match(bed.summaries().find((text) => text.includes("Deployment green")) ?? "", /\| blue \| 100 % \| 0 % \| deleted \|/);
    });

    it("never deletes a previous deployment that keeps a share", async () => {
      await blueLive();
      const runner = await bed.run({ inputs: { ...greenInputs, previousDeployments: "delete", trafficPercent: "50" } });
      assertSucceeded(runner);
      assert.ok(!bed.endpointCalls().some((call) => call.startsWith("deleteDeployment")), bed.endpointCalls().join("\n"));
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 50, green: 50 });
    });

    it("reuses the model, code and environment of an unchanged deployment, and converges when run again", async () => {
      await blueLive();
      const before = bed.assetChanges().length;
      const runner = await bed.run({ inputs: blueInputs });
      assertSucceeded(runner);
      assert.equal(bed.assetChanges().length, before, "nothing is uploaded or registered again");
      assert.ok(runner.stdout.includes("Model files unchanged"), runner.stdout);
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });
      assert.ok(runner.stdout.includes("Traffic: already blue 100 %."), runner.stdout);
      assert.equal(runner.warningIssues.length, 1, "updating a live deployment in place is worth a warning");
      assert.match(runner.warningIssues[0], /takes 100 % of the traffic: updating it in place/);
    });
  });

  describe("where the time went", () => {
    /** The phases the "Time by phase" log line names, in order; each with a time in seconds. */
    function phasesInLog(stdout: string): string[] {
      const lines = stdout.split("\n").filter((line) => line.startsWith("Time by phase: "));
      assert.equal(lines.length, 1, stdout);
      const match = /^Time by phase: (.*)\.$/.exec(lines[0].trimEnd());
      assert.ok(match, lines[0]);
      return match[1].split("; ").map((entry) => {
        const phase = /^(.+) \d+\.\d\d s$/.exec(entry);
        assert.ok(phase, `no time in '${entry}'`);
        return phase[1];
      });
    }

    /** The phases of the summary's "Time" table, in order. */
    function phasesInSummary(summary: string): string[] {
      const table = summary.split("#### Time")[1] ?? "";
      return table
        .split("\n")
        .filter((line) => /^\| .+ \| \d+\.\d\d s \|$/.test(line))
        .map((line) => line.split(" | ")[0].slice(2));
    }

    it("reports each phase of a first rollout, in order, in its log and its summary", async () => {
      const runner = await bed.run({ inputs: blueInputs });
      assertSucceeded(runner);
      const expected = ["endpoint lookup", "model", "code", "environment", "endpoint creation", "deployment", "scoring URI and key", "smoke test", "traffic"];
      assert.deepEqual(phasesInLog(runner.stdout), expected);
      assert.deepEqual(phasesInSummary(bed.summaries()[0]), expected);
    });

    it("reports the endpoint kept and the previous deployments deleted in a blue/green rollout", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      const runner = await bed.run({ inputs: { ...greenInputs, previousDeployments: "delete" } });
      assertSucceeded(runner);
      const expected = [
        "endpoint lookup",
        "model",
        "code",
        "environment",
        "endpoint kept",
        "deployment",
        "scoring URI and key",
        "smoke test",
        "traffic",
        "previous deployments",
      ];
      assert.deepEqual(phasesInLog(runner.stdout), expected);
      assert.deepEqual(phasesInSummary(bed.summaries().find((text) => text.includes("Deployment green")) ?? ""), expected);
    });
  });

  describe("a deployment that fails", () => {
    it("prints the deployment's container logs, leaves traffic exactly as it was, and fails with Azure's error", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      bed.changeEndpoints((state) => (state.calls = []));
      bed.script("green", {
        states: ["Creating", "Failed"],
        error: { code: "ResourceNotReady", message: "User container has crashed or terminated." },
        logs: {
          InferenceServer: "Traceback (most recent call last):\nValueError: no model found\n##vso[task.setvariable variable=hijacked]yes",
          StorageInitializer: "Downloaded the model.",
        },
      });
      const runner = await bed.run({ inputs: greenInputs });
      assertOneSentenceFailure(
        runner,
        /^Deployment 'green' of endpoint 'my-endpoint' failed: User container has crashed or terminated\. \(ResourceNotReady\)$/,
      );
      assert.deepEqual(bed.endpointCalls(), [
        "putDeployment my-endpoint/green",
        "getLogs my-endpoint/green/InferenceServer/200",
        "getLogs my-endpoint/green/StorageInitializer/200",
      ]);
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });
      assert.ok(runner.stdout.includes("##[group]Logs of deployment 'green'"), runner.stdout);
      assert.ok(runner.stdout.includes("ValueError: no model found"), runner.stdout);
      assert.ok(runner.stdout.includes("Downloaded the model."), runner.stdout);
      assert.ok(!runner.stdout.includes("##vso[task.setvariable variable=hijacked"), "a container log line set a pipeline variable");
      assert.ok(runner.stdout.includes("#\u200B#vso[task.setvariable variable=hijacked]yes"), "the container's line is shown, made harmless");
      assert.ok(runner.stdout.includes("Deployment 'green' of endpoint 'my-endpoint' is Creating."), runner.stdout);
      assert.ok(runner.stdout.includes("Traffic is left as it was: blue 100 %."), runner.stdout);
    });

    it("fails the smoke test with the status and the start of the body, and moves no traffic", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      bed.changeEndpoints((state) => (state.calls = []));
      bed.script("green", { response: { status: 500, body: '{"message": "An unexpected error occurred in scoring script. Check the logs for more info."}' } });
      const runner = await bed.run({ inputs: greenInputs });
      assertOneSentenceFailure(
        runner,
        /^The smoke test of deployment 'green' of endpoint 'my-endpoint' failed: the scoring URI answered HTTP 500 where 200 was expected \(input 'smokeTestExpectedStatus'\): \{"message": "An unexpected error occurred in scoring script/,
      );
      assert.deepEqual(bed.endpointCalls(), ["putDeployment my-endpoint/green", `score ${scoringUri("my-endpoint")} green`]);
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });
      assert.ok(runner.stdout.includes("Traffic is left as it was: blue 100 %."), runner.stdout);
      assertNoLeak(runner, endpointKey("my-endpoint"));
    });

    it("fails the smoke test when the answer does not match the pattern, scrubbing secrets from what it shows", async () => {
      bed.script("blue", { response: { status: 200, body: '{"error": "bad input", "access_token": "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"}' } });
      const runner = await bed.run({ inputs: { ...blueInputs, smokeTestResponsePattern: "^\\[[0-9.]+" } });
      assertOneSentenceFailure(
        runner,
        /does not match input 'smokeTestResponsePattern' \/\^\\\[\[0-9\.\]\+\/: \{"error": "bad input", "access_token": "\*\*\*"\}$/,
      );
      assert.ok(!runner.stdout.includes("eyJhbGciOi"), "a token in the answer reached the log");
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, {});
    });

    it("passes the pattern and the expected status when they match", async () => {
      bed.script("blue", { response: { status: 201, body: "[11055.97, 4503.27]" } });
      const runner = await bed.run({ inputs: { ...blueInputs, smokeTestExpectedStatus: "201", smokeTestResponsePattern: "^\\[[0-9.]+" } });
      assertSucceeded(runner);
      assert.ok(runner.stdout.includes("Smoke test passed: HTTP 201, and the answer matches /^\\[[0-9.]+/."), runner.stdout);
    });
  });

  describe("without a smoke test", () => {
    it("warns that the deployment takes traffic untested, and moves it", async () => {
      const { smokeTestRequestFile, ...inputs } = blueInputs;
      void smokeTestRequestFile;
      const runner = await bed.run({ inputs });
      assertSucceeded(runner);
      assert.equal(runner.warningIssues.length, 1);
      assert.match(runner.warningIssues[0], /No smoke test: input 'smokeTestRequestFile' is empty, so deployment 'blue' takes traffic untested\./);
      assert.ok(!bed.endpointCalls().some((call) => call.startsWith("score")));
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });
      assert.match(bed.summaries()[0], /\| Smoke test \| skipped: no sample request file \|/);
    });
  });

  describe("endpoints that take tokens", () => {
    it("smoke-tests an aml_token endpoint with an Azure ML token, sets no key output, and prints no token", async () => {
      bed.write("online/token-endpoint.yml", "name: my-endpoint\nauth_mode: aml_token\n");
      const runner = await bed.run({ inputs: { ...blueInputs, endpointFile: "online/token-endpoint.yml" } });
      assertSucceeded(runner);
      assert.equal((bed.endpoints().calls[0].body as OnlineEndpoint).properties.authMode, "AMLToken");
      assert.equal(outputVariable(runner, "endpointKey"), undefined);
      const [token] = bed.endpoints().tokens;
      assert.ok(token, "no token was asked for");
      assertNoLeak(runner, token);
      assert.ok(runner.stdout.includes(`##vso[task.setsecret]${token}`), "the token is not masked");
    });

    it("smoke-tests an aad_token endpoint with a Microsoft Entra token of the connection", async () => {
      bed.write("online/entra-endpoint.yml", "name: my-endpoint\nauth_mode: aad_token\n");
      const runner = await bed.run({ inputs: { ...blueInputs, endpointFile: "online/entra-endpoint.yml" } });
      assertSucceeded(runner);
      const [token] = bed.endpoints().tokens;
      assert.match(token, /^entra-token-/);
      assertNoLeak(runner, token);
    });
  });

  describe("an existing endpoint", () => {
    it("updates its tags and description when the file changed them, and leaves it alone when not", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      bed.write("online/endpoint-tagged.yml", "name: my-endpoint\nauth_mode: key\ndescription: Churn scoring\ntags:\n  team: ml\n");
      bed.changeEndpoints((state) => (state.calls = []));
      assertSucceeded(await bed.run({ inputs: { ...blueInputs, endpointFile: "online/endpoint-tagged.yml" } }));
      const update = bed.endpoints().calls[0];
      assert.equal(`${update.operation} ${update.target}`, "putEndpoint my-endpoint");
      const body = update.body as OnlineEndpoint;
      assert.deepEqual(body.tags, { team: "ml" });
      assert.equal(body.properties.description, "Churn scoring");
      assert.deepEqual(body.properties.traffic, { blue: 100 }, "a tag update keeps the traffic");
      assert.equal(body.properties.scoringUri, undefined, "read-only fields are not sent back");

      bed.changeEndpoints((state) => (state.calls = []));
      assertSucceeded(await bed.run({ inputs: { ...blueInputs, endpointFile: "online/endpoint-tagged.yml" } }));
      assert.deepEqual(bed.endpointCalls(), ["putDeployment my-endpoint/blue", `score ${scoringUri("my-endpoint")} blue`]);
    });

    it("deploys to an existing endpoint without an endpoint file", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      const { endpointFile, ...inputs } = greenInputs;
      void endpointFile;
      const runner = await bed.run({ inputs });
      assertSucceeded(runner);
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 0, green: 100 });
    });

    it("refuses a target that does not match the endpoint's kind, before anything is uploaded", async () => {
      assertSucceeded(await bed.run({ inputs: blueInputs }));
      bed.changeEndpoints((state) => (state.calls = []));
      const uploads = bed.assetChanges().length;
      const runner = await bed.run({
        inputs: {
          deploymentFile: kubernetesSample.green,
          endpointName: "my-endpoint",
          target: "kubernetesOnlineEndpoint",
          smokeTestRequestFile: sampleRequest,
        },
      });
      assertOneSentenceFailure(runner, /^Endpoint 'my-endpoint' exists as a managed online endpoint, but input 'target' is kubernetesOnlineEndpoint/);
      assert.deepEqual(bed.endpointCalls(), []);
      assert.equal(bed.assetChanges().length, uploads);
    });
  });

  describe("Kubernetes online endpoints", () => {
    const kubernetesInputs = {
      target: "kubernetesOnlineEndpoint",
      endpointFile: kubernetesSample.endpointFile,
      deploymentFile: kubernetesSample.blue,
      smokeTestRequestFile: sampleRequest,
    };

    it("creates the endpoint on the attached Kubernetes compute and deploys with its resources and scale settings", async () => {
      bed.changeEndpoints((state) => (state.computes.inferencecompute = { computeType: "Kubernetes", provisioningState: "Succeeded" }));
      const runner = await bed.run({ inputs: kubernetesInputs });
      assertSucceeded(runner);
      const endpoint = bed.endpoints().calls[0].body as OnlineEndpoint;
      assert.match(String(endpoint.properties.compute), /\/computes\/inferencecompute$/);
      assert.equal(endpoint.properties.publicNetworkAccess, undefined);
      assert.deepEqual(endpoint.tags, { tag1: "endpoint-tag1-value" });
      const deployment = lastBody<OnlineDeployment>(bed, "putDeployment", "my-endpoint/blue");
      const properties = deployment.properties as unknown as Record<string, unknown>;
      assert.equal(properties.endpointComputeType, "Kubernetes");
      assert.deepEqual(properties.containerResourceRequirements, {
        containerResourceLimits: { cpu: "0.2", memory: "200Mi" },
        containerResourceRequests: { cpu: "0.1", memory: "0.1Gi" },
      });
      assert.deepEqual(properties.requestSettings, { requestTimeout: "PT3S", maxConcurrentRequestsPerInstance: 1, maxQueueWait: "PT3S" });
      assert.deepEqual(properties.scaleSettings, { scaleType: "Default" });
      assert.equal(properties.egressPublicNetworkAccess, undefined);
      assert.deepEqual(deployment.sku, { name: "Default", capacity: 1 });
      assert.deepEqual(bed.endpoints().endpoints["my-endpoint"].traffic, { blue: 100 });
    });

    it("sends target-utilization scale settings with their polling interval as a duration", async () => {
      bed.changeEndpoints((state) => (state.computes.inferencecompute = { computeType: "Kubernetes" }));
      assertSucceeded(await bed.run({ inputs: { ...kubernetesInputs, deploymentFile: kubernetesSample.green } }));
      const properties = lastBody<OnlineDeployment>(bed, "putDeployment", "my-endpoint/green").properties as unknown as Record<string, unknown>;
      assert.deepEqual(properties.scaleSettings, {
        scaleType: "TargetUtilization",
        minInstances: 1,
        maxInstances: 3,
        pollingInterval: "PT10S",
        targetUtilizationPercentage: 70,
      });
      assert.equal(properties.instanceType, "defaultinstancetype");
      assert.equal(properties.appInsightsEnabled, true);
    });

    for (const [what, computes, message] of [
      [
        "a compute that is not attached",
        {},
        /names compute 'inferencecompute', which is not attached to workspace 'amlmlopsdev01'; attach the Kubernetes cluster first\.$/,
      ],
      [
        "a compute that is not Kubernetes",
        { inferencecompute: { computeType: "AmlCompute" } },
        /names compute 'inferencecompute', which is a compute of type AmlCompute, not an attached Kubernetes compute/,
      ],
    ] as const) {
      it(`refuses ${what} in one sentence, creating nothing`, async () => {
        bed.changeEndpoints((state) => (state.computes = { ...computes }));
        const runner = await bed.run({ inputs: kubernetesInputs });
        assertOneSentenceFailure(runner, message);
        assert.deepEqual(bed.endpointCalls(), []);
        assert.deepEqual(bed.assetChanges(), []);
      });
    }
  });
});
