import * as path from "node:path";
import type { ComputeResource, OnlineEndpoint } from "@azure/arm-machinelearning";
import { clientArguments, runClient } from "./clientSupport";
import { refusal, RefusalReport } from "./mlClientSupport";
import { keyEndpoint, lro, managedDeployment, onlineFixtures, onlineWorkspace, registerCode } from "./onlineSupport";

export interface EndpointSummary {
  provisioningState: string | undefined;
  authMode: string | undefined;
  scoringUri: string | undefined;
  swaggerUri: string | undefined;
  keysInBody: boolean;
  identityType: string | undefined;
  traffic: Record<string, number> | undefined;
  compute: string | null | undefined;
  tags: Record<string, string> | undefined;
}

export interface OnlineEndpointsReport {
  created: EndpointSummary;
  fetched: EndpointSummary;
  keys: { primaryKey?: string; secondaryKey?: string };
  afterPrimaryRegenerated: { primaryKey?: string; secondaryKey?: string };
  afterSecondarySet: { primaryKey?: string; secondaryKey?: string };
  refusals: Record<string, RefusalReport | undefined>;
  token: { tokenType?: string; expiryTimeUtc?: number; refreshAfterTimeUtc?: number; hasToken: boolean };
  patched: EndpointSummary;
  kubernetes: { compute: ComputeSummary; endpoint: EndpointSummary; deploymentType?: string };
  listed: string[];
  afterDelete: RefusalReport | undefined;
}

interface ComputeSummary {
  computeType?: string;
  provisioningState?: string;
  isAttachedCompute?: boolean;
  namespace?: string;
  secretReturned: boolean;
}

function summary(endpoint: OnlineEndpoint): EndpointSummary {
  const properties = endpoint.properties;
  return {
    provisioningState: properties.provisioningState,
    authMode: properties.authMode,
    scoringUri: properties.scoringUri ?? undefined,
    swaggerUri: properties.swaggerUri ?? undefined,
    keysInBody: properties.keys !== undefined && properties.keys !== null,
    identityType: endpoint.identity?.type,
    traffic: properties.traffic ?? undefined,
    compute: properties.compute,
    tags: endpoint.tags,
  };
}

function computeSummary(compute: ComputeResource): ComputeSummary {
  const properties = compute.properties as {
    computeType?: string;
    provisioningState?: string;
    isAttachedCompute?: boolean;
    properties?: Record<string, unknown>;
  };
  return {
    computeType: properties.computeType,
    provisioningState: properties.provisioningState,
    isAttachedCompute: properties.isAttachedCompute,
    namespace: properties.properties?.namespace as string | undefined,
    secretReturned: properties.properties?.relayConnectionString !== undefined,
  };
}

/**
 * Online endpoints through `@azure/arm-machinelearning` as the deploy task and `az ml` use them,
 * without serving anything: create, keys, tokens, traffic refusals, name uniqueness in a region,
 * PATCH, Kubernetes endpoints on an attached compute, delete. Arguments: two workspace suffixes.
 */
runClient(async (connection): Promise<OnlineEndpointsReport> => {
  const [suffix = "online", otherSuffix = "online2"] = clientArguments();
  const target = onlineWorkspace(connection, suffix);
  const other = onlineWorkspace(connection, otherSuffix);
  const { ml, group, workspace } = target;
  const refusals: Record<string, RefusalReport | undefined> = {};

  const created = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "ep-key", keyEndpoint(target, { description: "keys" }), lro);
  const fetched = await ml.onlineEndpoints.get(group, workspace, "ep-key");
  const keys = await ml.onlineEndpoints.listKeys(group, workspace, "ep-key");
  await ml.onlineEndpoints.beginRegenerateKeysAndWait(group, workspace, "ep-key", { keyType: "Primary" }, lro);
  const afterPrimaryRegenerated = await ml.onlineEndpoints.listKeys(group, workspace, "ep-key");
  await ml.onlineEndpoints.beginRegenerateKeysAndWait(group, workspace, "ep-key", { keyType: "Secondary", keyValue: "given-secondary-key" }, lro);
  const afterSecondarySet = await ml.onlineEndpoints.listKeys(group, workspace, "ep-key");

  refusals.tokenOfKeyEndpoint = await refusal(() => ml.onlineEndpoints.getToken(group, workspace, "ep-key"));
  refusals.trafficAtCreation = await refusal(() =>
    ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "ep-traffic", keyEndpoint(target, { traffic: { blue: 100 } }), lro),
  );
  refusals.invalidName = await refusal(() => ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "1-starts-with-digit", keyEndpoint(target), lro));
  refusals.nameTakenInRegion = await refusal(() =>
    other.ml.onlineEndpoints.beginCreateOrUpdateAndWait(other.group, other.workspace, "ep-key", keyEndpoint(other), lro),
  );
  refusals.trafficUnknownDeployment = await refusal(() =>
    ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "ep-key", keyEndpoint(target, { traffic: { blue: 100 } }), lro),
  );
  refusals.missingEndpoint = await refusal(() => ml.onlineEndpoints.get(group, workspace, "ep-none"));
  refusals.missingDeployment = await refusal(() => ml.onlineDeployments.get(group, workspace, "ep-key", "blue"));

  // Deployments whose references Azure ML refuses before anything starts.
  const codeId = await registerCode(target, "online-refusals", path.join(onlineFixtures, "echo"));
  const missingModel = `${target.workspaceId}/models/none/versions/1`;
  refusals.missingModel = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(group, workspace, "ep-key", "blue", managedDeployment(target, codeId, "score.py", {}, missingModel), lro),
  );
  refusals.missingCode = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-key",
      "blue",
      managedDeployment(target, `${target.workspaceId}/codes/none/versions/1`, "score.py"),
      lro,
    ),
  );
  refusals.missingEnvironment = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-key",
      "blue",
      managedDeployment(target, codeId, "score.py", { environmentId: `${target.workspaceId}/environments/none/versions/1` }),
      lro,
    ),
  );
  refusals.kubernetesOnManaged = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-key",
      "blue",
      { location: target.location, properties: { endpointComputeType: "Kubernetes", codeConfiguration: { codeId, scoringScript: "score.py" } } },
      lro,
    ),
  );
  refusals.managedWithoutInstanceType = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-key",
      "blue",
      { location: target.location, properties: { endpointComputeType: "Managed", codeConfiguration: { codeId, scoringScript: "score.py" } } },
      lro,
    ),
  );

  await ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, "ep-token", { location: target.location, properties: { authMode: "AMLToken" } }, lro);
  const token = await ml.onlineEndpoints.getToken(group, workspace, "ep-token");
  refusals.keysOfTokenEndpoint = await refusal(() => ml.onlineEndpoints.listKeys(group, workspace, "ep-token"));
  const patched = await ml.onlineEndpoints.beginUpdateAndWait(group, workspace, "ep-token", { tags: { stage: "test" } }, lro);

  // Kubernetes: an attached cluster, an endpoint on it, and refusals of what is not one.
  const clusterId = `/subscriptions/${connection.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Kubernetes/connectedClusters/arc-local`;
  const compute = await ml.computeOperations.beginCreateOrUpdateAndWait(
    group,
    workspace,
    "k8s",
    {
      location: target.location,
      properties: { computeType: "Kubernetes", resourceId: clusterId, properties: { namespace: "azureml", relayConnectionString: "Endpoint=sb://secret" } },
    },
    lro,
  );
  refusals.malformedClusterId = await refusal(() =>
    ml.computeOperations.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "k8s-bad",
      { location: target.location, properties: { computeType: "Kubernetes", resourceId: "arc-local" } },
      lro,
    ),
  );
  const kubernetesEndpoint = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
    group,
    workspace,
    "ep-k8s",
    keyEndpoint(target, { compute: `${target.workspaceId}/computes/k8s` }),
    lro,
  );
  refusals.computeNotKubernetes = await refusal(() =>
    ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      group,
      workspace,
      "ep-aml",
      keyEndpoint(target, { compute: `${target.workspaceId}/computes/cpu-cluster` }),
      lro,
    ),
  );
  refusals.managedOnKubernetes = await refusal(() =>
    ml.onlineDeployments.beginCreateOrUpdateAndWait(group, workspace, "ep-k8s", "blue", managedDeployment(target, codeId, "score.py"), lro),
  );

  const listed: string[] = [];
  for await (const endpoint of ml.onlineEndpoints.list(group, workspace)) listed.push(endpoint.name ?? "");
  await ml.onlineEndpoints.beginDeleteAndWait(group, workspace, "ep-token", lro);
  const afterDelete = await refusal(() => ml.onlineEndpoints.get(group, workspace, "ep-token"));

  return {
    created: summary(created),
    fetched: summary(fetched),
    keys,
    afterPrimaryRegenerated,
    afterSecondarySet,
    refusals,
    token: {
      tokenType: token.tokenType ?? undefined,
      expiryTimeUtc: token.expiryTimeUtc,
      refreshAfterTimeUtc: token.refreshAfterTimeUtc,
      hasToken: (token.accessToken ?? "").length > 20,
    },
    patched: summary(patched),
    kubernetes: { compute: computeSummary(compute), endpoint: summary(kubernetesEndpoint) },
    listed: listed.sort(),
    afterDelete,
  };
});
