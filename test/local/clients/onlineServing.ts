import * as path from "node:path";
import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import { clientArguments, runClient } from "./clientSupport";
import { refusal, RefusalReport } from "./mlClientSupport";
import {
  keyEndpoint,
  lro,
  managedDeployment,
  modelOneFolder,
  onlineFixtures,
  OnlineWorkspace,
  onlineWorkspace,
  registerCode,
  registerModel,
} from "./onlineSupport";

export interface DeploymentState {
  provisioningState: string | undefined;
}

export interface ServingStepReport {
  scoringUri?: string;
  keys?: { primaryKey?: string; secondaryKey?: string };
  token?: string;
  states: Record<string, string | undefined>;
  traffic?: Record<string, number>;
  logs: Record<string, string | undefined>;
  refusals: Record<string, RefusalReport | undefined>;
  deployments?: string[];
  capacity?: number;
  tags?: Record<string, string>;
}

async function setTraffic(target: OnlineWorkspace, endpointName: string, traffic: Record<string, number>): Promise<OnlineEndpoint> {
  // As `az ml online-endpoint update --traffic` does: read the endpoint, change its traffic, PUT it back.
  const endpoint = await target.ml.onlineEndpoints.get(target.group, target.workspace, endpointName);
  return target.ml.onlineEndpoints.beginCreateOrUpdateAndWait(
    target.group,
    target.workspace,
    endpointName,
    { location: endpoint.location, tags: endpoint.tags, identity: endpoint.identity, properties: { ...endpoint.properties, traffic } },
    lro,
  );
}

async function deploy(target: OnlineWorkspace, endpointName: string, deploymentName: string, body: OnlineDeployment): Promise<string | undefined> {
  const deployment = await target.ml.onlineDeployments.beginCreateOrUpdateAndWait(target.group, target.workspace, endpointName, deploymentName, body, lro);
  return deployment.properties.provisioningState;
}

async function logs(
  target: OnlineWorkspace,
  endpointName: string,
  deploymentName: string,
  containerType: "InferenceServer" | "StorageInitializer",
  tail?: number,
) {
  const answer = await target.ml.onlineDeployments.getLogs(target.group, target.workspace, endpointName, deploymentName, { containerType, tail });
  return answer.content ?? undefined;
}

function echoDeployment(target: OnlineWorkspace, codeId: string, label: string, extra: Record<string, unknown> = {}): OnlineDeployment {
  return managedDeployment(target, codeId, "score.py", { environmentVariables: { DEPLOYMENT_LABEL: label }, ...extra });
}

/** The steps of the serving test, each run in its own client process as a task would run. */
const steps: Record<string, (target: OnlineWorkspace) => Promise<ServingStepReport>> = {
  /** model-1 as Microsoft's sample deploys it (blue, all traffic), and an echo deployment at 0 % (green). */
  deploy: async (target) => {
    const codeId = await registerCode(target, "model-1-code", path.join(modelOneFolder, "onlinescoring"));
    const modelId = await registerModel(target, "sklearn-regression", path.join(modelOneFolder, "model"));
    const echoId = await registerCode(target, "echo-code", path.join(onlineFixtures, "echo"));
    const { ml, group, workspace } = target;
    const endpoint = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "ep-serve", keyEndpoint(target), lro);
    const blue = await deploy(target, "ep-serve", "blue", managedDeployment(target, codeId, "score.py", { environmentVariables: { MY_VAR: "1" } }, modelId));
    const traffic = (await setTraffic(target, "ep-serve", { blue: 100 })).properties.traffic ?? undefined;
    const green = await deploy(
      target,
      "ep-serve",
      "green",
      echoDeployment(target, echoId, "green", { requestSettings: { requestTimeout: "PT2S", maxConcurrentRequestsPerInstance: 1 } }),
    );
    return {
      scoringUri: endpoint.properties.scoringUri ?? undefined,
      keys: await ml.onlineEndpoints.listKeys(group, workspace, "ep-serve"),
      states: { blue, green },
      traffic,
      logs: {
        blueStorage: await logs(target, "ep-serve", "blue", "StorageInitializer"),
        blueServer: await logs(target, "ep-serve", "blue", "InferenceServer"),
        greenLastLine: await logs(target, "ep-serve", "green", "InferenceServer", 1),
      },
      refusals: {},
    };
  },

  /** A scoring script whose init() raises: the deployment fails, its logs say why, traffic stays where it was. */
  broken: async (target) => {
    const codeId = await registerCode(target, "broken-init", path.join(onlineFixtures, "broken-init"));
    const body = managedDeployment(target, codeId, "score.py", { readinessProbe: { initialDelay: "PT2S", period: "PT1S", failureThreshold: 20 } });
    const refusals = { create: await refusal(() => deploy(target, "ep-serve", "broken", body)) };
    const fetched = await target.ml.onlineDeployments.get(target.group, target.workspace, "ep-serve", "broken");
    const logsOf = {
      server: await logs(target, "ep-serve", "broken", "InferenceServer"),
      storage: await logs(target, "ep-serve", "broken", "StorageInitializer"),
    };
    const again = await refusal(() => deploy(target, "ep-serve", "broken", body));
    const endpoint = await target.ml.onlineEndpoints.get(target.group, target.workspace, "ep-serve");
    return {
      states: { broken: fetched.properties.provisioningState },
      traffic: endpoint.properties.traffic ?? undefined,
      logs: logsOf,
      refusals: { ...refusals, again },
    };
  },

  /** A scoring script whose init() outlasts the readiness probe: the deployment fails, its process ends. */
  slowInit: async (target) => {
    const codeId = await registerCode(target, "slow-init", path.join(onlineFixtures, "slow-init"));
    const body = managedDeployment(target, codeId, "score.py", { readinessProbe: { initialDelay: "PT1S", period: "PT1S", failureThreshold: 2 } });
    const create = await refusal(() => deploy(target, "ep-serve", "slow", body));
    const fetched = await target.ml.onlineDeployments.get(target.group, target.workspace, "ep-serve", "slow");
    await target.ml.onlineDeployments.beginDeleteAndWait(target.group, target.workspace, "ep-serve", "slow", lro);
    return { states: { slow: fetched.properties.provisioningState }, logs: {}, refusals: { create } };
  },

  /** PATCH of a deployment: tags, and the instance count through its sku (Scaling, then back to Succeeded). */
  scale: async (target) => {
    const patched = await target.ml.onlineDeployments.beginUpdateAndWait(
      target.group,
      target.workspace,
      "ep-serve",
      "green",
      { tags: { scaled: "yes" }, sku: { capacity: 2 } },
      lro,
    );
    const skus: string[] = [];
    for await (const sku of target.ml.onlineDeployments.listSkus(target.group, target.workspace, "ep-serve", "green"))
      skus.push(`${sku.sku?.name}:${sku.capacity?.scaleType}`);
    return {
      states: { green: patched.properties.provisioningState },
      capacity: patched.sku?.capacity,
      tags: patched.tags,
      logs: {},
      refusals: {},
      deployments: skus,
    };
  },

  /** The token endpoint switched to Entra ID tokens (AADToken), and such a token for Azure ML. */
  aad: async (target) => {
    const { ml, group, workspace } = target;
    const endpoint = await ml.onlineEndpoints.get(group, workspace, "ep-token");
    const updated = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-token",
      { location: endpoint.location, properties: { ...endpoint.properties, authMode: "AADToken" } },
      lro,
    );
    const token = await target.credential.getToken("https://ml.azure.com/.default");
    return { states: { endpoint: updated.properties.provisioningState }, token: token?.token, logs: {}, refusals: {} };
  },

  /** An Entra token for Azure ML, as a client of an AADToken endpoint gets one. */
  aadToken: async (target) => {
    const token = await target.credential.getToken("https://ml.azure.com/.default");
    return { states: {}, token: token?.token, logs: {}, refusals: {} };
  },

  /** The token endpoint's deployment updated to a scoring script whose init() raises: the update fails. */
  badUpdate: async (target) => {
    const codeId = await registerCode(target, "broken-init", path.join(onlineFixtures, "broken-init"));
    const body = managedDeployment(target, codeId, "score.py", { environmentVariables: { DEPLOYMENT_LABEL: "token" } });
    const update = await refusal(() => deploy(target, "ep-token", "echo", body));
    const fetched = await target.ml.onlineDeployments.get(target.group, target.workspace, "ep-token", "echo");
    return { states: { echo: fetched.properties.provisioningState }, logs: {}, refusals: { update } };
  },

  /** Traffic Azure refuses, a deployment with live traffic that cannot go, then green takes all and blue goes. */
  traffic: async (target) => {
    const { ml, group, workspace } = target;
    const refusals = {
      sum90: await refusal(() => setTraffic(target, "ep-serve", { blue: 60, green: 30 })),
      unknown: await refusal(() => setTraffic(target, "ep-serve", { blue: 100, red: 0 })),
      deleteLive: await refusal(() => ml.onlineDeployments.beginDeleteAndWait(group, workspace, "ep-serve", "blue", lro)),
    };
    await setTraffic(target, "ep-serve", { blue: 0, green: 100 });
    await ml.onlineDeployments.beginDeleteAndWait(group, workspace, "ep-serve", "blue", lro);
    const deployments: string[] = [];
    for await (const deployment of ml.onlineDeployments.list(group, workspace, "ep-serve")) deployments.push(deployment.name ?? "");
    const endpoint = await ml.onlineEndpoints.get(group, workspace, "ep-serve");
    return { states: {}, traffic: endpoint.properties.traffic ?? undefined, logs: {}, refusals, deployments: deployments.sort() };
  },

  /** An AMLToken endpoint with one echo deployment taking all traffic; its token. */
  token: async (target) => {
    const { ml, group, workspace } = target;
    const echoId = await registerCode(target, "echo-code", path.join(onlineFixtures, "echo"));
    const endpoint = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-token",
      { location: target.location, properties: { authMode: "AMLToken" } },
      lro,
    );
    const state = await deploy(target, "ep-token", "echo", echoDeployment(target, echoId, "token"));
    await setTraffic(target, "ep-token", { echo: 100 });
    const token = await ml.onlineEndpoints.getToken(group, workspace, "ep-token");
    return { scoringUri: endpoint.properties.scoringUri ?? undefined, token: token.accessToken ?? undefined, states: { echo: state }, logs: {}, refusals: {} };
  },

  /** A Kubernetes endpoint on an attached cluster, served the same way. */
  kubernetes: async (target) => {
    const { ml, group, workspace } = target;
    const echoId = await registerCode(target, "echo-code", path.join(onlineFixtures, "echo"));
    await ml.computeOperations.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "k8s",
      {
        location: target.location,
        properties: {
          computeType: "Kubernetes",
          resourceId: `/subscriptions/${target.workspaceId.split("/")[2]}/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/aks-local`,
        },
      },
      lro,
    );
    const endpoint = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-k8s",
      keyEndpoint(target, { compute: `${target.workspaceId}/computes/k8s` }),
      lro,
    );
    const state = await deploy(target, "ep-k8s", "echo", {
      location: target.location,
      properties: {
        endpointComputeType: "Kubernetes",
        codeConfiguration: { codeId: echoId, scoringScript: "score.py" },
        environmentId: `${target.workspaceId}/environments/AzureML-sklearn-1.0-ubuntu20.04-py38-cpu/versions/1`,
        environmentVariables: { DEPLOYMENT_LABEL: "k8s" },
      },
    });
    await setTraffic(target, "ep-k8s", { echo: 100 });
    return {
      scoringUri: endpoint.properties.scoringUri ?? undefined,
      keys: await ml.onlineEndpoints.listKeys(group, workspace, "ep-k8s"),
      states: { echo: state },
      logs: {},
      refusals: {},
    };
  },

  /** The Kubernetes endpoint deleted with its deployment, which had all its traffic. */
  deleteEndpoint: async (target) => {
    await target.ml.onlineEndpoints.beginDeleteAndWait(target.group, target.workspace, "ep-k8s", lro);
    const gone = await refusal(() => target.ml.onlineDeployments.get(target.group, target.workspace, "ep-k8s", "echo"));
    return { states: {}, logs: {}, refusals: { gone } };
  },

  /** After a restart: where the endpoint now answers, and its deployments' states. */
  state: async (target) => {
    const { ml, group, workspace } = target;
    const endpoint = await ml.onlineEndpoints.get(group, workspace, "ep-serve");
    const states: Record<string, string | undefined> = {};
    for await (const deployment of ml.onlineDeployments.list(group, workspace, "ep-serve"))
      states[deployment.name ?? ""] = deployment.properties.provisioningState;
    return {
      scoringUri: endpoint.properties.scoringUri ?? undefined,
      keys: await ml.onlineEndpoints.listKeys(group, workspace, "ep-serve"),
      states,
      logs: {},
      refusals: {},
    };
  },
};

/** Arguments: the workspace suffix and the step. */
runClient(async (connection): Promise<ServingStepReport> => {
  const [suffix = "serving", step = "deploy"] = clientArguments();
  const run = steps[step];
  if (!run) throw new Error(`no step ${step}`);
  return run(onlineWorkspace(connection, suffix));
});
