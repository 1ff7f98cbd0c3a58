import { randomUUID } from "node:crypto";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../../../arm/armRoute";
import { ArmError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { isJsonObject, JsonObject, jsonText } from "../../../state/json";
import { OperationRecord, StoredResource } from "../../../state/resourceStore";
import {
  newStoredResource,
  propertiesOf,
  requireBody,
  requireLocation,
  resourceNotFound,
  systemData,
  tagsOf,
  touch,
  withProvisioningState,
} from "../../../arm/resourceHelpers";
import { defineDeletion, defineProvisioning, needsReprovisioning } from "../../../arm/provisioning";
import { isAuthorized } from "../../../arm/authorization";
import { storageAccountKeys } from "../../../arm/providers/storageAccounts";
import { addCuratedEnvironments } from "./curatedEnvironments";
import { createSystemDatastore } from "./datastores";
import { discoveryUrl } from "../dataplane/discovery";
import { machineLearningApiVersions, workspaceId, workspaceTemplate, workspaceType } from "./workspaceIds";

const creation = "mlWorkspaces.create";
const deletion = "mlWorkspaces.delete";

/** 3–33 characters: letters, digits, '-' and '_', starting with a letter or digit. */
export function isValidWorkspaceName(name: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/.test(name);
}

const dependencyTypes: Record<string, string> = {
  storageAccount: "Microsoft.Storage/storageAccounts",
  keyVault: "Microsoft.KeyVault/vaults",
  applicationInsights: "Microsoft.Insights/components",
  containerRegistry: "Microsoft.ContainerRegistry/registries",
};

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

function dependency(services: ArmServices, property: string, id: string): StoredResource {
  const resource = services.store.get(id);
  if (!resource || resource.type.toLowerCase() !== dependencyTypes[property].toLowerCase()) {
    throw new ArmError(
      400,
      "BadRequest",
      `The ${property} '${id}' of the workspace was not found. It must be the resource id of an existing ${dependencyTypes[property]}.`,
    );
  }
  const state = propertiesOf(resource.body).provisioningState;
  if (typeof state === "string" && state !== "Succeeded") {
    throw new ArmError(400, "BadRequest", `The ${property} '${id}' of the workspace is in provisioning state '${state}'; it must be 'Succeeded'.`);
  }
  return resource;
}

export function machineLearningWorkspaceRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations, directory } = services;
  const base = new URL(services.baseUrl);

  defineProvisioning(services, creation, {
    beforeSuccess: async (workspace: StoredResource, operation: OperationRecord) => {
      const properties = propertiesOf(workspace.body);
      const storageAccount = store.get(jsonText(properties.storageAccount));
      if (!storageAccount) throw new Error(`storage account ${jsonText(properties.storageAccount)} vanished`);
      const key = storageAccountKeys(storageAccount)[0];
      const accountName = jsonText(storageAccount.body.name);
      const blobContainer = `azureml-blobstore-${jsonText(properties.workspaceId)}`;
      await services.storage.createContainer(accountName, key, blobContainer);
      await services.storage.createContainer(accountName, key, "azureml");
      const createdBy = directory.principalByObjectId(operation.initiatorObjectId)?.clientId ?? operation.initiatorObjectId;
      createSystemDatastore(services, createdBy, workspace, storageAccount, {
        name: "workspaceblobstore",
        containerName: blobContainer,
        isDefault: true,
        description: "",
      });
      createSystemDatastore(services, createdBy, workspace, storageAccount, {
        name: "workspaceartifactstore",
        containerName: "azureml",
        isDefault: false,
        description: "",
      });
      addCuratedEnvironments(store, workspace);
      return workspace;
    },
  });
  defineDeletion(services, deletion);

  const find = (context: ArmRequestContext): StoredResource => {
    const workspace = store.get(workspaceId(context.params));
    if (!workspace) throw resourceNotFound(context, `Microsoft.MachineLearningServices/workspaces/${context.params.workspaceName}`);
    return workspace;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const name = context.params.workspaceName;
    if (!isValidWorkspaceName(name)) {
      throw new ArmError(
        400,
        "BadRequest",
        `Workspace name '${name}' is invalid. It must be 3 to 33 characters long, start with a letter or digit, and contain only letters, digits, '-' and '_'.`,
      );
    }
    const body = requireBody(context);
    const location = requireLocation(body, workspaceType);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const id = workspaceId(context.params);
    const existing = store.get(id);

    if (existing) {
      operations.refuseWhileRunning(existing.id);
      const current = propertiesOf(existing.body);
      for (const immutable of ["storageAccount", "keyVault"]) {
        const wanted = requested[immutable];
        if (typeof wanted === "string" && wanted.toLowerCase() !== jsonText(current[immutable]).toLowerCase()) {
          throw new ArmError(400, "BadRequest", `The ${immutable} of workspace '${name}' cannot be changed once the workspace exists.`);
        }
      }
      for (const optional of ["applicationInsights", "containerRegistry"]) {
        const wanted = requested[optional];
        if (typeof wanted === "string") dependency(services, optional, wanted);
      }
      const updated = touch(existing, context);
      updated.body = { ...existing.body, properties: { ...current, ...requested, provisioningState: current.provisioningState ?? "Succeeded" } };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      if (needsReprovisioning(existing)) {
        store.put(withProvisioningState(updated, "Updating"));
        const operation = operations.start({
          context,
          resourceId: id,
          kind: "update",
          completion: creation,
          providerNamespace: "Microsoft.MachineLearningServices",
          location,
        });
        return { status: 202, headers: { ...operations.asyncOperationHeaders(operation), ...operations.locationHeaders(operation) } };
      }
      store.put(updated);
      return { status: 200, body: view(updated) };
    }

    for (const required of ["storageAccount", "keyVault"]) {
      if (typeof requested[required] !== "string") throw new ArmError(400, "BadRequest", `The workspace property '${required}' is required.`);
    }
    const storageAccount = dependency(services, "storageAccount", jsonText(requested.storageAccount));
    if (propertiesOf(storageAccount.body).isHnsEnabled === true) {
      throw new ArmError(400, "BadRequest", "The storage account of a workspace cannot have a hierarchical namespace (Data Lake Storage Gen2) enabled.");
    }
    dependency(services, "keyVault", jsonText(requested.keyVault));
    for (const optional of ["applicationInsights", "containerRegistry"]) {
      if (typeof requested[optional] === "string") dependency(services, optional, String(requested[optional]));
    }

    const workspaceGuid = randomUUID();
    const identityType = isJsonObject(body.identity) && typeof body.identity.type === "string" ? body.identity.type : "SystemAssigned";
    const identity: JsonObject = isJsonObject(body.identity) ? { ...body.identity, type: identityType } : { type: identityType };
    if (identityType.includes("SystemAssigned")) {
      identity.principalId = randomUUID();
      identity.tenantId = directory.state.tenantId;
    }
    const properties: JsonObject = {
      friendlyName: name,
      description: "",
      hbiWorkspace: false,
      allowPublicAccessWhenBehindVnet: false,
      publicNetworkAccess: "Enabled",
      v1LegacyMode: false,
      ...requested,
      workspaceId: workspaceGuid,
      discoveryUrl: discoveryUrl(services.baseUrl, location),
      provisioningState: "Creating",
      privateLinkCount: 0,
      tenantId: directory.state.tenantId,
      storageHnsEnabled: false,
      mlFlowTrackingUri: `azureml://${base.host}/mlflow/v1.0${id}`,
    };
    const resourceBody: JsonObject = {
      id,
      name,
      type: workspaceType,
      location,
      tags: tagsOf(body) ?? {},
      identity,
      sku: isJsonObject(body.sku) ? body.sku : { name: "Basic", tier: "Basic" },
      properties,
    };
    store.put(newStoredResource(context, id, workspaceType, resourceBody));
    const operation = operations.start({
      context,
      resourceId: id,
      kind: "create",
      completion: creation,
      providerNamespace: "Microsoft.MachineLearningServices",
      location,
    });
    services.log("info", `Azure ML workspace ${name} being created (operation ${operation.id})`);
    return { status: 202, headers: { ...operations.asyncOperationHeaders(operation), ...operations.locationHeaders(operation) } };
  };

  const listKeys = (context: ArmRequestContext): ArmResult => {
    const workspace = find(context);
    const properties = propertiesOf(workspace.body);
    const result: JsonObject = { userStorageResourceId: jsonText(properties.storageAccount), notebookAccessKeys: {} };
    const storageAccount = store.get(jsonText(properties.storageAccount));
    if (storageAccount) result.userStorageKey = storageAccountKeys(storageAccount)[0];
    const insights = typeof properties.applicationInsights === "string" ? store.get(properties.applicationInsights) : undefined;
    if (insights && typeof insights.secrets.instrumentationKey === "string") result.appInsightsInstrumentationKey = insights.secrets.instrumentationKey;
    const registry = typeof properties.containerRegistry === "string" ? store.get(properties.containerRegistry) : undefined;
    if (registry && propertiesOf(registry.body).adminUserEnabled === true && Array.isArray(registry.secrets.passwords)) {
      result.containerRegistryCredentials = {
        location: jsonText(registry.body.location),
        username: jsonText(registry.body.name),
        passwords: registry.secrets.passwords.map((value, index) => ({ name: index === 0 ? "password" : "password2", value: jsonText(value) })),
      };
    }
    return { status: 200, body: result };
  };

  const readAction = "Microsoft.MachineLearningServices/workspaces/read";
  return [
    defineRoute({
      operationId: "Workspaces_CreateOrUpdate",
      method: "PUT",
      template: workspaceTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: "Microsoft.MachineLearningServices/workspaces/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Workspaces_Get",
      method: "GET",
      template: workspaceTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: readAction,
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Workspaces_Update",
      method: "PATCH",
      template: workspaceTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: "Microsoft.MachineLearningServices/workspaces/write",
      handler: (context) => {
        const body = requireBody(context);
        const workspace = touch(find(context), context);
        operations.refuseWhileRunning(workspace.id);
        const requested = isJsonObject(body.properties) ? body.properties : {};
        for (const optional of ["applicationInsights", "containerRegistry"]) {
          if (typeof requested[optional] === "string") dependency(services, optional, String(requested[optional]));
        }
        workspace.body = { ...workspace.body, properties: { ...propertiesOf(workspace.body), ...requested } };
        const tags = tagsOf(body);
        if (tags) workspace.body.tags = tags;
        if (isJsonObject(body.sku)) workspace.body.sku = body.sku;
        store.put(workspace);
        return { status: 200, body: view(workspace) };
      },
    }),
    defineRoute({
      operationId: "Workspaces_Delete",
      method: "DELETE",
      template: workspaceTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: "Microsoft.MachineLearningServices/workspaces/delete",
      handler: (context) => {
        const workspace = store.get(workspaceId(context.params));
        if (!workspace) return { status: 204 };
        operations.refuseWhileRunning(workspace.id);
        store.put({ ...workspace, body: { ...workspace.body, properties: { ...propertiesOf(workspace.body), provisioningState: "Deleting" } } });
        const operation = operations.start({
          context,
          resourceId: workspace.id,
          kind: "delete",
          completion: deletion,
          providerNamespace: "Microsoft.MachineLearningServices",
          location: jsonText(workspace.body.location),
        });
        return { status: 202, headers: { ...operations.asyncOperationHeaders(operation), ...operations.locationHeaders(operation) } };
      },
    }),
    defineRoute({
      operationId: "Workspaces_ListKeys",
      method: "POST",
      template: `${workspaceTemplate}/listKeys`,
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: "Microsoft.MachineLearningServices/workspaces/listKeys/action",
      scope: "pathParent",
      handler: listKeys,
    }),
    defineRoute({
      operationId: "Workspaces_ListByResourceGroup",
      method: "GET",
      template: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces",
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: readAction,
      scope: "resourceGroup",
      handler: (context) => ({
        status: 200,
        body: {
          value: store
            .under(resourceGroupId(context.params))
            .filter((resource) => resource.type === workspaceType)
            .map(view),
        },
      }),
    }),
    defineRoute({
      operationId: "Workspaces_ListBySubscription",
      method: "GET",
      template: "/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces",
      apiVersions: machineLearningApiVersions,
      resourceType: workspaceType,
      action: readAction,
      scope: "subscription",
      authorize: () => true,
      handler: (context) => ({
        status: 200,
        body: {
          value: store
            .ofType(workspaceType)
            .filter((resource) => isAuthorized(context.principal, readAction, resource.id))
            .map(view),
        },
      }),
    }),
  ];
}
