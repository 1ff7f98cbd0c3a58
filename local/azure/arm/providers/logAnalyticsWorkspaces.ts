import { randomUUID } from "node:crypto";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../armRoute";
import { armErrors } from "../armErrors";
import { ArmServices } from "../armServices";
import { isJsonObject, JsonObject, jsonText } from "../../state/json";
import { StoredResource } from "../../state/resourceStore";
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
} from "../resourceHelpers";
import { defineDeletion, defineProvisioning, needsReprovisioning } from "../provisioning";

const apiVersions = ["2022-10-01"];
const resourceType = "Microsoft.OperationalInsights/workspaces";
const workspaceTemplate =
  "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}";
const creation = "logAnalyticsWorkspaces.create";
const deletion = "logAnalyticsWorkspaces.delete";

function workspaceId(context: ArmRequestContext): string {
  return `${resourceGroupId(context.params)}/providers/Microsoft.OperationalInsights/workspaces/${context.params.workspaceName}`;
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

export function logAnalyticsWorkspaceRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations } = services;
  defineProvisioning(services, creation);
  defineDeletion(services, deletion);

  const find = (context: ArmRequestContext): StoredResource => {
    const workspace = store.get(workspaceId(context));
    if (!workspace) throw resourceNotFound(context, `Microsoft.OperationalInsights/workspaces/${context.params.workspaceName}`);
    return workspace;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const body = requireBody(context);
    const location = requireLocation(body, resourceType);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const id = workspaceId(context);
    const existing = store.get(id);
    const now = new Date().toISOString();
    if (existing) {
      if (existing.body.location !== location)
        throw armErrors.invalidResourceLocation(context.params.workspaceName, jsonText(existing.body.location), location);
      operations.refuseWhileRunning(existing.id);
      const updated = touch(existing, context);
      updated.body = { ...existing.body, properties: { ...propertiesOf(existing.body), ...requested, modifiedDate: now } };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      if (needsReprovisioning(existing)) {
        store.put(withProvisioningState(updated, "Updating"));
        operations.start({ context, resourceId: id, kind: "update", completion: creation, providerNamespace: "Microsoft.OperationalInsights", location });
        const again = store.get(id);
        return { status: 200, body: view(again ?? updated) };
      }
      store.put(updated);
      return { status: 200, body: view(updated) };
    }
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    tomorrow.setUTCHours(0, 0, 0, 0);
    const properties: JsonObject = {
      sku: { name: "PerGB2018" },
      retentionInDays: 30,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1 },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      ...requested,
      customerId: randomUUID(),
      provisioningState: "Creating",
      createdDate: now,
      modifiedDate: now,
    };
    if (isJsonObject(properties.sku)) properties.sku = { ...properties.sku, lastSkuUpdate: now };
    if (isJsonObject(properties.workspaceCapping)) {
      properties.workspaceCapping = { ...properties.workspaceCapping, quotaNextResetTime: tomorrow.toISOString(), dataIngestionStatus: "RespectQuota" };
    }
    const resourceBody: JsonObject = { id, name: context.params.workspaceName, type: resourceType, location, tags: tagsOf(body) ?? {}, properties };
    store.put(newStoredResource(context, id, resourceType, resourceBody));
    operations.start({ context, resourceId: id, kind: "create", completion: creation, providerNamespace: "Microsoft.OperationalInsights", location });
    const created = store.get(id);
    return { status: 201, body: created ? view(created) : resourceBody };
  };

  return [
    defineRoute({
      operationId: "Workspaces_CreateOrUpdate",
      method: "PUT",
      template: workspaceTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.OperationalInsights/workspaces/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Workspaces_Get",
      method: "GET",
      template: workspaceTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.OperationalInsights/workspaces/read",
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Workspaces_Delete",
      method: "DELETE",
      template: workspaceTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.OperationalInsights/workspaces/delete",
      handler: (context) => {
        const workspace = store.get(workspaceId(context));
        if (!workspace) return { status: 204 };
        store.delete(workspace.id);
        return { status: 200 };
      },
    }),
  ];
}
