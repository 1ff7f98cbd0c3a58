import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { MlWorkspaceBed } from "../../e2e/mlWorkspaceBed";
import { armRequest } from "./armFetch";

/*
 * The online endpoints the pick lists of AzureMLDeploy show. One endpoint gets two deployments
 * from the built AzureMLDeploy task itself (blue, then green, each smoke-tested), serving
 * Microsoft's sample regression (azureml-examples cli/endpoints/online/model-1) registered by the
 * caller; beside it, an endpoint without deployments in the same workspace and one in another
 * workspace, created by a PUT as `az ml online-endpoint create` makes them, so that the lists can
 * be seen to follow the workspace and the endpoint they depend on.
 */

const ML_API = "api-version=2022-10-01";

export interface OnlineWorldRequest {
  /** The model the deployments serve, as the task's `model` input takes it (`<name>@latest`). */
  model: string;
  /** The environment they run in, as a deployment file names it (`azureml:<name>@latest`). */
  environment: string;
  /** A folder with the scoring script `score.py`, copied into the sources. */
  scoringCode: string;
  /** The task's smoke test: a request the scoring script answers, and a pattern its answer matches. */
  smokeTest: { request: string; responsePattern: string };
  /** The other workspace, which gets an endpoint of its own. */
  otherWorkspacePath: string;
  token: string;
}

export interface OnlineWorld {
  /** The workspace's online endpoints → their deployments; the first has two, the second none. */
  onlineEndpoints: Record<string, string[]>;
  /** The online endpoint of the other workspace. */
  otherOnlineEndpointName: string;
}

/** The deployment file the task reads, as `az ml online-deployment create -f` would; the task's inputs name the endpoint, the deployment and the model. */
const deploymentYaml = (endpointName: string, environment: string) =>
  [
    "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json",
    "name: blue",
    `endpoint_name: ${endpointName}`,
    "code_configuration:",
    "  code: ../scoring",
    "  scoring_script: score.py",
    `environment: ${environment}`,
    "instance_type: Standard_DS3_v2",
    "instance_count: 1",
    "",
  ].join("\n");

/** PUTs a key-authenticated online endpoint and waits, as the CLI does, until its provisioning ends. */
async function createEndpoint(bed: MlWorkspaceBed, token: string, endpointPath: string): Promise<void> {
  const connection = bed.azure.connection;
  const url = `${endpointPath}?${ML_API}`;
  const created = await armRequest(connection, token, "PUT", url, { location: connection.location, properties: { authMode: "Key" } });
  assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
  for (;;) {
    const read = await armRequest(connection, token, "GET", url);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    const state = (read.body as { properties?: { provisioningState?: string } }).properties?.provisioningState;
    if (state === "Succeeded") return;
    assert.ok(state === "Creating" || state === "Updating", `endpoint ${endpointPath} ended ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function provisionOnlineWorld(bed: MlWorkspaceBed, request: OnlineWorldRequest): Promise<OnlineWorld> {
  const endpointName = "pickers-endpoint";
  fs.cpSync(request.scoringCode, path.join(bed.workDir, "scoring"), { recursive: true });
  fs.mkdirSync(path.join(bed.workDir, "online"), { recursive: true });
  fs.writeFileSync(path.join(bed.workDir, "online", "deployment.yml"), deploymentYaml(endpointName, request.environment));
  fs.writeFileSync(path.join(bed.workDir, "online", "sample-request.json"), request.smokeTest.request);

  const deployments = ["blue", "green"];
  for (const deploymentName of deployments) {
    const deployed = await bed.runTask(
      "AzureMLDeploy",
      {
        deploymentFile: "online/deployment.yml",
        endpointName,
        deploymentName,
        model: request.model,
        smokeTestRequestFile: "online/sample-request.json",
        smokeTestResponsePattern: request.smokeTest.responsePattern,
        timeoutMinutes: "5",
      },
      { timeoutMs: 600_000 },
    );
    assert.equal(deployed.result, "Succeeded", deployed.log);
    assert.equal(deployed.outputs.deploymentName, deploymentName, deployed.log);
  }

  const workspacePath = `/subscriptions/${bed.azure.connection.subscriptionId}/resourceGroups/${bed.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${bed.workspaceName}`;
  const idleEndpointName = "pickers-idle";
  await createEndpoint(bed, request.token, `${workspacePath}/onlineEndpoints/${idleEndpointName}`);
  const otherOnlineEndpointName = "pickers-other";
  await createEndpoint(bed, request.token, `${request.otherWorkspacePath}/onlineEndpoints/${otherOnlineEndpointName}`);

  return { onlineEndpoints: { [endpointName]: deployments, [idleEndpointName]: [] }, otherOnlineEndpointName };
}
