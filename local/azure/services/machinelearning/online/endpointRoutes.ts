import { ArmRequestContext, ArmResult, ArmRoute } from "../../../arm/armRoute";
import { machineLearningRoutes } from "../arm/machineLearningRoute";
import { userError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { defineDeletion } from "../../../arm/provisioning";
import { newStoredResource, propertiesOf, requireBody, requireLocation, systemData, tagsOf, touch } from "../../../arm/resourceHelpers";
import { isJsonObject, JsonObject, JsonValue, jsonText, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { computeType, workspaceTemplate } from "../arm/workspaceIds";
import { requireWorkspace } from "../arm/workspaceChildren";
import { endpointKeys, EndpointKeys, issueAmlToken, newEndpointKey, newEndpointSecrets } from "./endpointCredentials";
import { isValidOnlineName, onlineDeploymentType, onlineEndpointId, onlineEndpointTemplate, onlineEndpointType } from "./onlineIds";
import { onlineErrors } from "./onlineErrors";
import { acceptedHeaders, asyncOperationHeaders, identityOf, startOnlineOperation } from "./onlineOperations";
import { checkTraffic } from "./trafficRules";

const provisioning = "mlOnlineEndpoints.provision";
const keyRegeneration = "mlOnlineEndpoints.regenerateKeys";
const deletion = "mlOnlineEndpoints.delete";
const authModes = ["Key", "AMLToken", "AADToken"];

/** The path under which the local Azure serves an endpoint's scoring URI: `/inference/<region>/<endpoint>/…`. */
export const inferencePathPrefix = "/inference/";

export function scoringBase(baseUrl: string, endpoint: StoredResource): string {
  return `${baseUrl}${inferencePathPrefix}${encodeURIComponent(jsonText(endpoint.body.location))}/${encodeURIComponent(jsonText(endpoint.body.name))}`;
}

/** The endpoint of that name in that region: names are unique per region, across resource groups and workspaces. */
export function endpointInRegion(store: ResourceStore, location: string, name: string): StoredResource | undefined {
  const wantedLocation = location.toLowerCase().replace(/\s+/g, "");
  const wantedName = name.toLowerCase();
  return store
    .ofType(onlineEndpointType)
    .find((endpoint) => jsonText(endpoint.body.location).toLowerCase() === wantedLocation && jsonText(endpoint.body.name).toLowerCase() === wantedName);
}

/** The traffic that routes requests: the endpoint's, as of its last completed create or update. */
export function activeTraffic(endpoint: StoredResource): JsonObject {
  return isJsonObject(endpoint.secrets.activeTraffic) ? endpoint.secrets.activeTraffic : {};
}

export function authModeOf(endpoint: StoredResource): string {
  return textOf(propertiesOf(endpoint.body).authMode) || "Key";
}

function deploymentNames(store: ResourceStore, endpoint: StoredResource): string[] {
  return store
    .under(endpoint.id)
    .filter((resource) => resource.type === onlineDeploymentType)
    .map((deployment) => textOf(deployment.body.name));
}

function requestedKeys(properties: JsonObject): EndpointKeys | undefined {
  const keys = properties.keys;
  if (!isJsonObject(keys)) return undefined;
  const primaryKey = typeof keys.primaryKey === "string" && keys.primaryKey !== "" ? keys.primaryKey : newEndpointKey();
  const secondaryKey = typeof keys.secondaryKey === "string" && keys.secondaryKey !== "" ? keys.secondaryKey : newEndpointKey();
  return { primaryKey, secondaryKey };
}

/** Online endpoints at 2022-10-01: create/update (PUT), get, list, update (PATCH), delete, listKeys, regenerateKeys, token. */
export function onlineEndpointRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations } = services;

  const view = (endpoint: StoredResource): JsonObject => {
    const base = scoringBase(services.baseUrl, endpoint);
    return {
      ...endpoint.body,
      properties: { ...propertiesOf(endpoint.body), scoringUri: `${base}/score`, swaggerUri: `${base}/swagger.json` },
      systemData: systemData(endpoint),
    };
  };

  operations.defineCompletion(provisioning, {
    succeed: (operation) => {
      const endpoint = store.get(operation.resourceId);
      if (!endpoint) return;
      const properties = propertiesOf(endpoint.body);
      store.put({
        ...endpoint,
        body: { ...endpoint.body, properties: { ...properties, provisioningState: "Succeeded" } },
        secrets: { ...endpoint.secrets, activeTraffic: isJsonObject(properties.traffic) ? properties.traffic : {} },
      });
    },
    fail: (operation) => {
      const endpoint = store.get(operation.resourceId);
      if (endpoint) store.put({ ...endpoint, body: { ...endpoint.body, properties: { ...propertiesOf(endpoint.body), provisioningState: "Failed" } } });
    },
  });
  operations.defineCompletion(keyRegeneration, {
    succeed: (operation) => {
      const endpoint = store.get(operation.resourceId);
      const pending = endpoint?.secrets.pendingKeyRegeneration;
      if (!endpoint || !isJsonObject(pending)) return;
      const keys = { ...endpointKeys(endpoint) };
      const value = typeof pending.keyValue === "string" && pending.keyValue !== "" ? pending.keyValue : newEndpointKey();
      if (pending.keyType === "Secondary") keys.secondaryKey = value;
      else keys.primaryKey = value;
      const secrets: JsonObject = { ...endpoint.secrets, keys: { ...keys } };
      delete secrets.pendingKeyRegeneration;
      store.put({ ...endpoint, secrets });
    },
    fail: (operation) => {
      const endpoint = store.get(operation.resourceId);
      if (!endpoint) return;
      const secrets = { ...endpoint.secrets };
      delete secrets.pendingKeyRegeneration;
      store.put({ ...endpoint, secrets });
    },
  });
  // The operation ends once the processes of the endpoint's deployments have.
  defineDeletion(services, deletion, {
    beforeDelete: async (endpoint) => {
      const deployments = store.under(endpoint.id).filter((resource) => resource.type === onlineDeploymentType);
      await Promise.all(deployments.map((deployment) => services.serving.forget(deployment.id)));
    },
  });

  const find = (context: ArmRequestContext): StoredResource => {
    requireWorkspace(store, context);
    const endpoint = store.get(onlineEndpointId(context));
    if (!endpoint || endpoint.type !== onlineEndpointType) throw onlineErrors.endpointNotFound(context.params.endpointName, context.params.workspaceName);
    return endpoint;
  };

  /** The ARM id of an attached Kubernetes compute of the workspace, as the endpoint names it. */
  const kubernetesCompute = (workspace: StoredResource, compute: string): string => {
    const escaped = workspace.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`^(?:azureml:)?(${escaped}/computes/[^/]+)$`, "i").exec(compute);
    const resource = match ? store.get(match[1]) : undefined;
    const properties = resource ? propertiesOf(resource.body) : {};
    if (!resource || resource.type !== computeType || properties.computeType !== "Kubernetes") {
      throw onlineErrors.notKubernetesCompute(compute, textOf(workspace.body.name));
    }
    if (properties.provisioningState !== "Succeeded") {
      throw userError(`Kubernetes compute '${textOf(resource.body.name)}' is in provisioning state '${textOf(properties.provisioningState)}', not Succeeded.`);
    }
    return resource.id;
  };

  const checkAuthMode = (value: JsonValue | undefined): string => {
    const mode = typeof value === "string" ? authModes.find((candidate) => candidate.toLowerCase() === value.toLowerCase()) : undefined;
    if (value !== undefined && mode === undefined) throw userError(`authMode '${jsonText(value)}' is not one of ${authModes.join(", ")}.`);
    return mode ?? "Key";
  };

  /** The endpoint properties the service keeps (2022-10-01 has no mirrorTraffic: the service's model drops what it does not know). */
  const knownProperties = (requested: JsonObject): JsonObject => {
    const kept: JsonObject = {};
    for (const field of ["description", "properties", "authMode", "compute", "traffic", "publicNetworkAccess"])
      if (field in requested) kept[field] = requested[field];
    return kept;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const workspace = requireWorkspace(store, context);
    const name = context.params.endpointName;
    if (!isValidOnlineName(name)) throw onlineErrors.invalidName("endpoint", name);
    const body = requireBody(context);
    const location = requireLocation(body, onlineEndpointType);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const authMode = checkAuthMode(requested.authMode);
    const id = onlineEndpointId(context);
    const existing = store.get(id);
    const taken = endpointInRegion(store, location, name);
    if (taken && taken.id.toLowerCase() !== id.toLowerCase()) throw onlineErrors.endpointNameTaken();

    if (existing) {
      operations.refuseWhileRunning(existing.id);
      const current = propertiesOf(existing.body);
      const currentCompute = textOf(current.compute);
      const wantedCompute = typeof requested.compute === "string" && requested.compute !== "" ? kubernetesCompute(workspace, requested.compute) : "";
      if (wantedCompute.toLowerCase() !== currentCompute.toLowerCase()) throw onlineErrors.endpointComputeChange(currentCompute || "managed");
      const traffic = checkTraffic(requested.traffic, deploymentNames(store, existing), name);
      const updated = touch(existing, context);
      updated.body = {
        ...existing.body,
        tags: tagsOf(body) ?? existing.body.tags ?? {},
        properties: {
          ...current,
          ...knownProperties(requested),
          properties: { ...(isJsonObject(current.properties) ? current.properties : {}), ...(isJsonObject(requested.properties) ? requested.properties : {}) },
          authMode,
          traffic,
          provisioningState: "Updating",
        },
      };
      if (isJsonObject(body.identity)) {
        updated.body.identity = identityOf(
          body.identity,
          services.directory.state.tenantId,
          isJsonObject(existing.body.identity) ? existing.body.identity : undefined,
        );
      }
      if (!wantedCompute) delete (updated.body.properties as JsonObject).compute;
      else (updated.body.properties as JsonObject).compute = wantedCompute;
      delete (updated.body.properties as JsonObject).keys;
      store.put(updated);
      const operation = startOnlineOperation(services, context, updated, "update", provisioning);
      return { status: 200, body: view(updated), headers: asyncOperationHeaders(services, operation) };
    }

    const traffic = isJsonObject(requested.traffic) ? requested.traffic : {};
    if (Object.keys(traffic).length > 0) throw onlineErrors.trafficAtCreation();
    const properties: JsonObject = {
      description: null,
      properties: {},
      publicNetworkAccess: "Enabled",
      ...knownProperties(requested),
      authMode,
      traffic: {},
      provisioningState: "Creating",
    };
    if (typeof requested.compute === "string" && requested.compute !== "") properties.compute = kubernetesCompute(workspace, requested.compute);
    else delete properties.compute;
    const resourceBody: JsonObject = {
      id,
      name,
      type: onlineEndpointType,
      location,
      tags: tagsOf(body) ?? {},
      identity: identityOf(body.identity, services.directory.state.tenantId),
      properties,
    };
    if (typeof body.kind === "string") resourceBody.kind = body.kind;
    if (isJsonObject(body.sku)) resourceBody.sku = body.sku;
    const created = newStoredResource(context, id, onlineEndpointType, resourceBody, newEndpointSecrets(requestedKeys(requested)));
    store.put(created);
    const operation = startOnlineOperation(services, context, created, "create", provisioning);
    return { status: 201, body: view(created), headers: asyncOperationHeaders(services, operation) };
  };

  const patch = (context: ArmRequestContext): ArmResult => {
    const endpoint = find(context);
    operations.refuseWhileRunning(endpoint.id);
    const body = requireBody(context);
    const updated = touch(endpoint, context);
    updated.body = { ...endpoint.body, properties: { ...propertiesOf(endpoint.body), provisioningState: "Updating" } };
    const tags = tagsOf(body);
    if (tags) updated.body.tags = tags;
    if (isJsonObject(body.identity)) {
      updated.body.identity = identityOf(
        body.identity,
        services.directory.state.tenantId,
        isJsonObject(endpoint.body.identity) ? endpoint.body.identity : undefined,
      );
    }
    store.put(updated);
    const operation = startOnlineOperation(services, context, updated, "update", provisioning);
    return { status: 202, headers: acceptedHeaders(services, operation) };
  };

  const remove = (context: ArmRequestContext): ArmResult => {
    requireWorkspace(store, context);
    const endpoint = store.get(onlineEndpointId(context));
    if (!endpoint || endpoint.type !== onlineEndpointType) return { status: 204 };
    operations.refuseWhileRunning(endpoint.id);
    store.put({ ...endpoint, body: { ...endpoint.body, properties: { ...propertiesOf(endpoint.body), provisioningState: "Deleting" } } });
    const operation = startOnlineOperation(services, context, endpoint, "delete", deletion);
    return { status: 202, headers: acceptedHeaders(services, operation) };
  };

  const requireMode = (endpoint: StoredResource, operation: "keys" | "token", wanted: string): void => {
    const mode = authModeOf(endpoint);
    if (mode !== wanted) throw onlineErrors.credentialsOfOtherMode(operation, mode, textOf(endpoint.body.name));
  };

  const regenerateKeys = (context: ArmRequestContext): ArmResult => {
    const endpoint = find(context);
    requireMode(endpoint, "keys", "Key");
    operations.refuseWhileRunning(endpoint.id);
    const body = requireBody(context);
    const keyType = body.keyType;
    if (keyType !== "Primary" && keyType !== "Secondary") throw userError(`keyType '${jsonText(keyType)}' is not one of Primary, Secondary.`);
    const pending: JsonObject = { keyType };
    if (typeof body.keyValue === "string") pending.keyValue = body.keyValue;
    store.put({ ...endpoint, secrets: { ...endpoint.secrets, pendingKeyRegeneration: pending } });
    const operation = startOnlineOperation(services, context, endpoint, "update", keyRegeneration);
    const headers = acceptedHeaders(services, operation);
    delete headers["x-ms-async-operation-timeout"];
    return { status: 202, headers };
  };

  const route = machineLearningRoutes(onlineEndpointType);

  return [
    route(
      "OnlineEndpoints_List",
      "GET",
      `${workspaceTemplate}/onlineEndpoints`,
      "read",
      (context) => {
        const workspace = requireWorkspace(store, context);
        const name = context.query.get("name")?.toLowerCase();
        const wantedType = context.query.get("computeType")?.toLowerCase();
        const endpoints = store
          .under(workspace.id)
          .filter((resource) => resource.type === onlineEndpointType)
          .filter((endpoint) => name === undefined || textOf(endpoint.body.name).toLowerCase() === name)
          .filter((endpoint) => wantedType === undefined || (propertiesOf(endpoint.body).compute ? "kubernetes" : "managed") === wantedType);
        return { status: 200, body: { value: endpoints.map(view) } };
      },
      "pathParent",
    ),
    route("OnlineEndpoints_Get", "GET", onlineEndpointTemplate, "read", (context) => ({ status: 200, body: view(find(context)) })),
    route("OnlineEndpoints_CreateOrUpdate", "PUT", onlineEndpointTemplate, "write", createOrUpdate),
    route("OnlineEndpoints_Update", "PATCH", onlineEndpointTemplate, "write", patch),
    route("OnlineEndpoints_Delete", "DELETE", onlineEndpointTemplate, "delete", remove),
    route("OnlineEndpoints_ListKeys", "POST", `${onlineEndpointTemplate}/listKeys`, "listKeys/action", (context) => {
      const endpoint = find(context);
      requireMode(endpoint, "keys", "Key");
      const keys = endpointKeys(endpoint);
      return { status: 200, body: { primaryKey: keys.primaryKey, secondaryKey: keys.secondaryKey } };
    }),
    route("OnlineEndpoints_RegenerateKeys", "POST", `${onlineEndpointTemplate}/regenerateKeys`, "regenerateKeys/action", regenerateKeys),
    route("OnlineEndpoints_GetToken", "POST", `${onlineEndpointTemplate}/token`, "token/action", (context) => {
      const endpoint = find(context);
      requireMode(endpoint, "token", "AMLToken");
      const token = issueAmlToken(endpoint);
      return { status: 200, body: { ...token } };
    }),
  ];
}
