import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { OnlineEndpoint } from "@azure/arm-machinelearning";
import { registeredSecrets } from "../../../tasks/common/src/auth/secretMasking";
import { readOnlineDeploymentFile } from "../../../tasks/common/src/azureml/onlineDeploymentFile";
import { readOnlineEndpointFile } from "../../../tasks/common/src/azureml/onlineEndpointFile";
import { AzureOnlineEndpointGateway, operationFailure } from "../../../tasks/AzureMLDeploy/src/online/azureOnlineEndpointGateway";
import { deploymentBody } from "../../../tasks/AzureMLDeploy/src/online/deploymentBody";
import { endpointUpdateBody, newEndpointBody } from "../../../tasks/AzureMLDeploy/src/online/endpointBody";
import { SwaggerValidator } from "../../../local/azure/validation/swaggerValidator";
import type { RecordedRequest, TestResponse } from "../../support/httpsTestServer";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "../azure/dataPlaneTestBed";

/*
 * What AzureOnlineEndpointGateway sends, as it reaches the wire through @azure/arm-machinelearning's
 * serializer, checked against the 2022-10-01 swagger, for bodies built from Microsoft's own
 * endpoint and deployment samples; and how it follows Azure's long-running operations.
 */

const samples = path.join(__dirname, "../../../../test/unit/azureml/fixtures/azureml-examples/cli/endpoints/online");
const endpointPath = `${WORKSPACE_PATH}/onlineEndpoints/my-endpoint`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const assets = {
  environmentId: `${WORKSPACE_PATH}/environments/CliV2AnonymousEnvironment/versions/0f3c`,
  codeId: `${WORKSPACE_PATH}/codes/7eca/versions/1`,
  modelId: `${WORKSPACE_PATH}/models/c92c/versions/1`,
};

describe("AzureMLDeploy on the wire (api-version 2022-10-01)", function () {
  this.timeout(60_000);
  let bed: DataPlaneTestBed;
  let validator: SwaggerValidator;
  let unsilence: () => void;
  const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };
  /** Operation id → the statuses its status URL answers, one per GET. */
  const operations = new Map<string, Array<{ status: string; error?: { code: string; message: string } }>>();

  /** A PUT answered as Azure answers it: 201, the resource as sent, and an Azure-AsyncOperation URL. */
  function acceptedPut(operation: string) {
    return (request: RecordedRequest): TestResponse => ({
      status: 201,
      headers: { "Azure-AsyncOperation": `${bed.origin}/operations/${operation}`, "Retry-After": "0" },
      body: { id: request.url.pathname, name: request.url.pathname.split("/").at(-1), ...(JSON.parse(request.body) as object) },
    });
  }

  before(async () => {
    unsilence = silenceTaskLib();
    validator = await SwaggerValidator.create(() => undefined);
    bed = await DataPlaneTestBed.start();
    bed.server.route("GET", /^\/operations\//, (request) => {
      const statuses = operations.get(request.url.pathname.split("/").at(-1) ?? "") ?? [{ status: "Succeeded" }];
      const next = statuses.length > 1 ? statuses.shift() : statuses[0];
      return { status: 200, body: next ?? { status: "Succeeded" } };
    });
    bed.server.route("GET", new RegExp(`^${escape(WORKSPACE_PATH)}$`), () => ({
      status: 200,
      body: { id: WORKSPACE_PATH, name: WORKSPACE, location: "westeurope", properties: {} },
    }));
    bed.server.route("PUT", new RegExp(`^${escape(endpointPath)}$`), acceptedPut("endpoint"));
    bed.server.route("GET", new RegExp(`^${escape(endpointPath)}$`), () => ({
      status: 200,
      body: {
        id: endpointPath,
        name: "my-endpoint",
        location: "westeurope",
        properties: { authMode: "Key", provisioningState: "Succeeded", scoringUri: "https://x/score" },
      },
    }));
    bed.server.route("PUT", new RegExp(`^${escape(endpointPath)}/deployments/(blue|green)$`), (request) =>
      acceptedPut(request.url.pathname.split("/").at(-1) ?? "")(request),
    );
    bed.server.route("GET", new RegExp(`^${escape(endpointPath)}/deployments/(blue|green)$`), (request) => ({
      status: 200,
      body: { id: request.url.pathname, name: "blue", location: "westeurope", properties: { endpointComputeType: "Managed", provisioningState: "Succeeded" } },
    }));
    bed.server.route("DELETE", new RegExp(`^${escape(endpointPath)}/deployments/blue$`), () => ({
      status: 202,
      headers: { Location: `${bed.origin}/operations/delete-blue`, "Retry-After": "0" },
    }));
    bed.server.route("POST", new RegExp(`^${escape(endpointPath)}/deployments/blue/getLogs$`), () => ({ status: 200, body: { content: "line 1\nline 2" } }));
    bed.server.route("POST", new RegExp(`^${escape(endpointPath)}/listKeys$`), () => ({
      status: 200,
      body: { primaryKey: "wire-primary-key-0123456789", secondaryKey: "wire-secondary-key-0123456789" },
    }));
    bed.server.route("POST", new RegExp(`^${escape(endpointPath)}/token$`), () => ({
      status: 200,
      body: { accessToken: "wire-aml-token-0123456789", tokenType: "Bearer" },
    }));
    bed.server.route("GET", new RegExp(`^${escape(WORKSPACE_PATH)}/computes/inferencecompute$`), () => ({
      status: 200,
      body: {
        id: `${WORKSPACE_PATH}/computes/inferencecompute`,
        name: "inferencecompute",
        properties: { computeType: "Kubernetes", provisioningState: "Succeeded" },
      },
    }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });
  beforeEach(() => operations.clear());

  async function swaggerIssues(request: RecordedRequest | undefined): Promise<string[]> {
    assert.ok(request, "no request sent");
    const outcome = await validator.validateRequest({
      url: `https://management.azure.com${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: { "content-type": "application/json" },
      body: request.body ? (JSON.parse(request.body) as unknown) : undefined,
    });
    assert.ok(outcome.matched, `${request.method} ${request.url.pathname} matched no swagger operation`);
    return outcome.issues.map((issue) => `${issue.code} ${issue.path}: ${issue.message}`);
  }

  const gateway = () => new AzureOnlineEndpointGateway(bed.session(), workspace);
  const last = (method: string, pathname: string) =>
    bed.server.requests.filter((request) => request.method === method && request.url.pathname === pathname).at(-1);

  it("creates an endpoint from Microsoft's sample file with a body the swagger accepts, and follows the operation", async () => {
    const spec = readOnlineEndpointFile(path.join(samples, "managed/sample/endpoint.yml"), "endpointFile");
    const location = await gateway().workspaceLocation();
    assert.equal(location, "westeurope");
    // The SDK asks for the status once already when it starts the operation.
    operations.set("endpoint", [{ status: "InProgress" }, { status: "InProgress" }, { status: "Succeeded" }]);
    const operation = await gateway().beginCreateOrUpdateEndpoint("my-endpoint", newEndpointBody(spec, location));
    assert.deepEqual(await swaggerIssues(last("PUT", endpointPath)), []);
    assert.deepEqual(await operation.poll(), { done: false });
    assert.deepEqual(await operation.poll(), { done: true });
  });

  it("creates a Kubernetes endpoint on its compute, and changes an endpoint's traffic with a PUT that sends nothing read-only", async () => {
    const spec = readOnlineEndpointFile(path.join(samples, "kubernetes/kubernetes-endpoint.yml"), "endpointFile");
    const compute = await gateway().getCompute("inferencecompute");
    assert.deepEqual(compute, { id: `${WORKSPACE_PATH}/computes/inferencecompute`, computeType: "Kubernetes", provisioningState: "Succeeded" });
    await gateway().beginCreateOrUpdateEndpoint("my-endpoint", newEndpointBody(spec, "westeurope", compute?.id));
    assert.deepEqual(await swaggerIssues(last("PUT", endpointPath)), []);

    const current: OnlineEndpoint = {
      id: endpointPath,
      name: "my-endpoint",
      location: "westeurope",
      tags: { team: "ml" },
      identity: { type: "SystemAssigned", principalId: "p", tenantId: "t" },
      properties: {
        authMode: "Key",
        traffic: { blue: 100 },
        provisioningState: "Succeeded",
        scoringUri: "https://x/score",
        swaggerUri: "https://x/swagger.json",
      },
    };
    await gateway().beginCreateOrUpdateEndpoint("my-endpoint", endpointUpdateBody(current, { traffic: { blue: 0, green: 100 } }));
    const sent = last("PUT", endpointPath);
    assert.deepEqual(await swaggerIssues(sent), []);
    assert.deepEqual(JSON.parse(sent?.body ?? "{}"), {
      location: "westeurope",
      tags: { team: "ml" },
      identity: { type: "SystemAssigned" },
      properties: { authMode: "Key", traffic: { blue: 0, green: 100 } },
    });
  });

  for (const [kind, file] of [
    ["managed", "managed/sample/blue-deployment.yml"],
    ["Kubernetes", "kubernetes/kubernetes-blue-deployment.yml"],
    ["Kubernetes autoscaled", "kubernetes/kubernetes-green-deployment.yml"],
  ] as const) {
    it(`creates a ${kind} deployment from Microsoft's sample with a body the swagger accepts`, async () => {
      const spec = readOnlineDeploymentFile(path.join(samples, file), "deploymentFile");
      await gateway().beginCreateOrUpdateDeployment("my-endpoint", spec.name, deploymentBody(spec, assets, "westeurope"));
      const sent = last("PUT", `${endpointPath}/deployments/${spec.name}`);
      assert.deepEqual(await swaggerIssues(sent), []);
      const wire = JSON.parse(sent?.body ?? "{}") as { sku: unknown; properties: Record<string, unknown> };
      // instance_count is capacity of the sku "Default" (none for an autoscaled Kubernetes deployment).
      assert.deepEqual(wire.sku, spec.instanceCount === undefined ? { name: "Default" } : { name: "Default", capacity: spec.instanceCount });
      assert.equal(wire.properties.model, assets.modelId);
      assert.deepEqual(wire.properties.codeConfiguration, { codeId: assets.codeId, scoringScript: "score.py" });
    });
  }

  it("reports a failed deployment with Azure's error code and message, from the operation's status", async () => {
    operations.set("green", [
      { status: "InProgress" },
      { status: "InProgress" },
      { status: "Failed", error: { code: "ResourceNotReady", message: "User container has crashed or terminated." } },
    ]);
    const spec = readOnlineDeploymentFile(path.join(samples, "managed/sample/green-deployment.yml"), "deploymentFile");
    const operation = await gateway().beginCreateOrUpdateDeployment("my-endpoint", "green", deploymentBody(spec, assets, "westeurope"));
    assert.deepEqual(await operation.poll(), { done: false });
    assert.deepEqual(await operation.poll(), { done: true, failed: { code: "ResourceNotReady", message: "User container has crashed or terminated." } });
  });

  it("deletes a deployment and follows the deletion to its end", async () => {
    operations.set("delete-blue", [{ status: "InProgress" }, { status: "Succeeded" }]);
    const operation = await gateway().beginDeleteDeployment("my-endpoint", "blue");
    assert.deepEqual(await swaggerIssues(last("DELETE", `${endpointPath}/deployments/blue`)), []);
    let status = await operation.poll();
    for (let polls = 0; !status.done && polls < 5; polls++) status = await operation.poll();
    assert.deepEqual(status, { done: true });
  });

  it("reads container logs, keys and tokens with requests the swagger accepts, masking the secrets", async () => {
    assert.equal(await gateway().getDeploymentLogs("my-endpoint", "blue", "StorageInitializer", 200), "line 1\nline 2");
    const logs = last("POST", `${endpointPath}/deployments/blue/getLogs`);
    assert.deepEqual(await swaggerIssues(logs), []);
    assert.deepEqual(JSON.parse(logs?.body ?? "{}"), { containerType: "StorageInitializer", tail: 200 });

    assert.deepEqual(await gateway().listKeys("my-endpoint"), { primaryKey: "wire-primary-key-0123456789", secondaryKey: "wire-secondary-key-0123456789" });
    assert.deepEqual(await gateway().getToken("my-endpoint"), { accessToken: "wire-aml-token-0123456789" });
    for (const secret of ["wire-primary-key-0123456789", "wire-secondary-key-0123456789", "wire-aml-token-0123456789"]) {
      assert.ok(registeredSecrets().includes(secret), `${secret} is not masked`);
    }
  });

  it("reads an absent endpoint or deployment as undefined", async () => {
    assert.equal(await gateway().getEndpoint("no-endpoint"), undefined);
    assert.equal(await gateway().getDeployment("my-endpoint", "red"), undefined);
    assert.equal(await gateway().getCompute("none"), undefined);
  });

  it("reads core-lro's sentence for a failed operation back into Azure's code and message", () => {
    assert.deepEqual(operationFailure(new Error("The long-running operation has failed. ResourceNotReady. User container has crashed. See logs.")), {
      code: "ResourceNotReady",
      message: "User container has crashed. See logs.",
    });
    assert.deepEqual(operationFailure(new Error("The long-running operation has failed")), {});
    assert.equal(operationFailure(new Error("socket hang up")), undefined);
  });
});
