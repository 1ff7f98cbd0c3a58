import { ArmRequestContext, ArmResult, ArmRoute } from "../../../arm/armRoute";
import { machineLearningRoutes } from "../arm/machineLearningRoute";
import { ArmError, userError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { defineDeletion } from "../../../arm/provisioning";
import { newStoredResource, propertiesOf, requireBody, requireLocation, systemData, tagsOf, touch } from "../../../arm/resourceHelpers";
import { isJsonObject, JsonObject, textOf } from "../../../state/json";
import { OperationRecord, StoredResource } from "../../../state/resourceStore";
import { requireWorkspace } from "../arm/workspaceChildren";
import { DeploymentReferences } from "./deploymentReferences";
import { withDeploymentDefaults } from "./deploymentSettings";
import {
  isValidOnlineName,
  onlineDeploymentId,
  onlineDeploymentTemplate,
  onlineDeploymentType,
  onlineEndpointId,
  onlineEndpointTemplate,
  onlineEndpointType,
} from "./onlineIds";
import { onlineErrors, resourceNotReady } from "./onlineErrors";
import { acceptedHeaders, asyncOperationHeaders, identityOf, startOnlineOperation } from "./onlineOperations";
import { servingStateOf, withServingState } from "./servingState";
import { ContainerType } from "./serving/onlineServing";
import { trafficOf } from "./trafficRules";

const provisioning = "mlOnlineDeployments.provision";
const scaling = "mlOnlineDeployments.scale";
const deletion = "mlOnlineDeployments.delete";

/** The deployment properties of 2022-10-01 the service keeps (its model drops what it does not know). */
const knownProperties = [
  "description",
  "properties",
  "codeConfiguration",
  "environmentId",
  "environmentVariables",
  "appInsightsEnabled",
  "egressPublicNetworkAccess",
  "endpointComputeType",
  "instanceType",
  "livenessProbe",
  "readinessProbe",
  "model",
  "modelMountPath",
  "requestSettings",
  "scaleSettings",
  "containerResourceRequirements",
];

function computeTypeOf(endpoint: StoredResource): "Managed" | "Kubernetes" {
  return propertiesOf(endpoint.body).compute ? "Kubernetes" : "Managed";
}

function withState(resource: StoredResource, state: string): StoredResource {
  return { ...resource, body: { ...resource.body, properties: { ...propertiesOf(resource.body), provisioningState: state } } };
}

/** Online deployments at 2022-10-01: create/update (PUT), get, list, update (PATCH: tags, sku), delete, getLogs, listSkus. */
export function onlineDeploymentRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations, serving } = services;

  const view = (deployment: StoredResource): JsonObject => ({ ...deployment.body, systemData: systemData(deployment) });

  /** Marks the deployment Failed; a first provisioning that failed leaves it unrecoverable, as Azure does. */
  const markFailed = (operation: OperationRecord): void => {
    const deployment = store.get(operation.resourceId);
    if (!deployment) return;
    const state = servingStateOf(deployment);
    const failed = withState(deployment, "Failed");
    store.put(state && operation.kind === "create" ? withServingState(failed, { ...state, initialProvisioningFailed: true }) : failed);
  };

  operations.defineCompletion(provisioning, {
    // The operation ends when the deployment's process is ready, or failed to become so.
    succeed: async (operation) => {
      const outcome = await serving.start(operation.resourceId);
      // The local Azure is stopping: the operation stays in progress and is finished after the next start.
      if (outcome.kind === "interrupted") return;
      if (!store.get(operation.resourceId)) return;
      if (outcome.kind === "ready") {
        const deployment = store.get(operation.resourceId);
        if (deployment) store.put(withState(deployment, "Succeeded"));
        return;
      }
      markFailed(operation);
      throw outcome.code === "BadArgument" ? new ArmError(400, "BadArgument", outcome.detail) : resourceNotReady(outcome.detail);
    },
    fail: async (operation) => {
      markFailed(operation);
      await serving.abandon(operation.resourceId);
    },
  });
  operations.defineCompletion(scaling, {
    succeed: (operation) => {
      const deployment = store.get(operation.resourceId);
      if (!deployment) return;
      const before = textOf(deployment.secrets.stateBeforeChange) || "Succeeded";
      const secrets = { ...deployment.secrets };
      delete secrets.stateBeforeChange;
      store.put({ ...withState(deployment, before), secrets });
      // Serving already unless the local Azure restarted during the change.
      if (before === "Succeeded") void serving.start(deployment.id);
    },
    fail: (operation) => {
      const deployment = store.get(operation.resourceId);
      if (deployment) store.put(withState(deployment, "Failed"));
    },
  });
  defineDeletion(services, deletion, {
    // The operation ends once the deployment's process has; Azure drops it from its endpoint's traffic.
    beforeDelete: async (deployment) => {
      await serving.forget(deployment.id);
      const endpoint = store.get(deployment.id.slice(0, deployment.id.toLowerCase().lastIndexOf("/deployments/")));
      if (!endpoint) return;
      const name = textOf(deployment.body.name).toLowerCase();
      const without = (traffic: JsonObject): JsonObject => Object.fromEntries(Object.entries(traffic).filter(([key]) => key.toLowerCase() !== name));
      const properties = propertiesOf(endpoint.body);
      store.put({
        ...endpoint,
        body: { ...endpoint.body, properties: { ...properties, traffic: without(trafficOf(properties.traffic)) } },
        secrets: { ...endpoint.secrets, activeTraffic: without(trafficOf(endpoint.secrets.activeTraffic)) },
      });
    },
  });

  const findEndpoint = (context: ArmRequestContext): StoredResource => {
    requireWorkspace(store, context);
    const endpoint = store.get(onlineEndpointId(context));
    if (!endpoint || endpoint.type !== onlineEndpointType) throw onlineErrors.endpointNotFound(context.params.endpointName, context.params.workspaceName);
    return endpoint;
  };

  const find = (context: ArmRequestContext): StoredResource => {
    findEndpoint(context);
    const deployment = store.get(onlineDeploymentId(context));
    if (!deployment || deployment.type !== onlineDeploymentType) {
      throw onlineErrors.deploymentNotFound(context.params.deploymentName, context.params.endpointName, context.params.workspaceName);
    }
    return deployment;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const workspace = requireWorkspace(store, context);
    const endpoint = findEndpoint(context);
    const name = context.params.deploymentName;
    if (!isValidOnlineName(name)) throw onlineErrors.invalidName("deployment", name);
    const body = requireBody(context);
    const location = requireLocation(body, onlineDeploymentType);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const endpointType = computeTypeOf(endpoint);
    const computeType = textOf(requested.endpointComputeType) || endpointType;
    if (computeType !== endpointType) throw onlineErrors.computeTypeMismatch(computeType, endpointType, textOf(endpoint.body.name));
    if (computeType === "Managed" && textOf(requested.instanceType) === "") throw onlineErrors.instanceTypeRequired();
    operations.refuseWhileRunning(endpoint.id);
    if (propertiesOf(endpoint.body).provisioningState === "Deleting") throw userError(`Endpoint '${textOf(endpoint.body.name)}' is being deleted.`);

    const id = onlineDeploymentId(context);
    const existing = store.get(id);
    const previous = existing ? servingStateOf(existing) : undefined;
    if (existing) {
      operations.refuseWhileRunning(existing.id);
      if (previous?.initialProvisioningFailed) throw onlineErrors.deploymentUnrecoverable(textOf(existing.body.name));
      const currentType = textOf(propertiesOf(existing.body).endpointComputeType);
      if (currentType !== computeType) throw onlineErrors.computeTypeChange(currentType, computeType);
    }
    const source = new DeploymentReferences(store, workspace).resolve(requested);

    const kept: JsonObject = {};
    for (const field of knownProperties) if (field in requested) kept[field] = requested[field];
    const properties = { ...withDeploymentDefaults({ ...kept, endpointComputeType: computeType }), provisioningState: existing ? "Updating" : "Creating" };
    const sku: JsonObject = isJsonObject(body.sku) ? { name: "Default", ...body.sku } : { name: "Default", capacity: 1 };
    const resourceBody: JsonObject = { id, name, type: onlineDeploymentType, location, tags: tagsOf(body) ?? {}, properties, sku };
    if (typeof body.kind === "string") resourceBody.kind = body.kind;
    if (isJsonObject(body.identity)) resourceBody.identity = identityOf(body.identity, services.directory.state.tenantId);
    const state = { revision: (previous?.revision ?? 0) + 1, source };
    const stored = existing
      ? withServingState({ ...touch(existing, context), body: resourceBody }, state)
      : withServingState(newStoredResource(context, id, onlineDeploymentType, resourceBody), state);
    store.put(stored);
    const operation = startOnlineOperation(services, context, stored, existing ? "update" : "create", provisioning);
    // The container starts now; the operation completes once it is ready (or has failed).
    void serving.start(id);
    return { status: existing ? 200 : 201, body: view(stored), headers: asyncOperationHeaders(services, operation) };
  };

  const patch = (context: ArmRequestContext): ArmResult => {
    const deployment = find(context);
    operations.refuseWhileRunning(deployment.id);
    const body = requireBody(context);
    const current = propertiesOf(deployment.body);
    const updated = touch(deployment, context);
    const tags = tagsOf(body);
    const sku = isJsonObject(deployment.body.sku) ? deployment.body.sku : { name: "Default", capacity: 1 };
    const requestedSku = isJsonObject(body.sku) ? body.sku : undefined;
    const scaled = requestedSku !== undefined && requestedSku.capacity !== undefined && requestedSku.capacity !== sku.capacity;
    updated.body = {
      ...deployment.body,
      tags: tags ?? deployment.body.tags ?? {},
      sku: requestedSku ? { ...sku, ...requestedSku } : sku,
      properties: { ...current, provisioningState: scaled ? "Scaling" : "Updating" },
    };
    updated.secrets = { ...deployment.secrets, stateBeforeChange: textOf(current.provisioningState) || "Succeeded" };
    store.put(updated);
    const operation = startOnlineOperation(services, context, updated, "update", scaling);
    return { status: 202, headers: acceptedHeaders(services, operation) };
  };

  const remove = (context: ArmRequestContext): ArmResult => {
    const endpoint = findEndpoint(context);
    const deployment = store.get(onlineDeploymentId(context));
    if (!deployment || deployment.type !== onlineDeploymentType) return { status: 204 };
    const name = textOf(deployment.body.name).toLowerCase();
    const properties = propertiesOf(endpoint.body);
    for (const traffic of [trafficOf(properties.traffic), trafficOf(endpoint.secrets.activeTraffic)]) {
      const live = Object.entries(traffic).find(([key, percent]) => key.toLowerCase() === name && percent > 0);
      if (live) throw onlineErrors.deleteWithTraffic(textOf(deployment.body.name), live[1]);
    }
    operations.refuseWhileRunning(deployment.id);
    store.put(withState(deployment, "Deleting"));
    const operation = startOnlineOperation(services, context, deployment, "delete", deletion);
    return { status: 202, headers: acceptedHeaders(services, operation) };
  };

  const getLogs = (context: ArmRequestContext): ArmResult => {
    const deployment = find(context);
    const body = isJsonObject(context.body) ? context.body : {};
    const containerType: ContainerType = body.containerType === "StorageInitializer" ? "StorageInitializer" : "InferenceServer";
    if (body.containerType !== undefined && body.containerType !== "StorageInitializer" && body.containerType !== "InferenceServer") {
      throw userError(`containerType '${textOf(body.containerType)}' is not one of StorageInitializer, InferenceServer.`);
    }
    const tail = typeof body.tail === "number" && Number.isInteger(body.tail) ? body.tail : undefined;
    return { status: 200, body: { content: serving.logs(deployment.id, containerType, tail) } };
  };

  const listSkus = (context: ArmRequestContext): ArmResult => {
    find(context);
    return {
      status: 200,
      body: {
        value: [
          {
            resourceType: onlineDeploymentType,
            sku: { name: "Default", tier: "Standard" },
            capacity: { minimum: 1, maximum: 20, default: 1, scaleType: "Manual" },
          },
        ],
      },
    };
  };

  const route = machineLearningRoutes(onlineDeploymentType);

  return [
    route(
      "OnlineDeployments_List",
      "GET",
      `${onlineEndpointTemplate}/deployments`,
      "read",
      (context) => {
        const endpoint = findEndpoint(context);
        let deployments = store.under(endpoint.id).filter((resource) => resource.type === onlineDeploymentType);
        const top = Number(context.query.get("$top"));
        if (Number.isInteger(top) && top > 0) deployments = deployments.slice(0, top);
        return { status: 200, body: { value: deployments.map(view) } };
      },
      "pathParent",
    ),
    route("OnlineDeployments_Get", "GET", onlineDeploymentTemplate, "read", (context) => ({ status: 200, body: view(find(context)) })),
    route("OnlineDeployments_CreateOrUpdate", "PUT", onlineDeploymentTemplate, "write", createOrUpdate),
    route("OnlineDeployments_Update", "PATCH", onlineDeploymentTemplate, "write", patch),
    route("OnlineDeployments_Delete", "DELETE", onlineDeploymentTemplate, "delete", remove),
    route("OnlineDeployments_GetLogs", "POST", `${onlineDeploymentTemplate}/getLogs`, "getLogs/action", getLogs),
    route("OnlineDeployments_ListSkus", "GET", `${onlineDeploymentTemplate}/skus`, "read", listSkus),
  ];
}
