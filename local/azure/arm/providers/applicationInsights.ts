import { randomUUID } from "node:crypto";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../armRoute";
import { ArmError, armErrors } from "../armErrors";
import { ArmServices } from "../armServices";
import { isJsonObject, JsonObject, jsonText } from "../../state/json";
import { StoredResource } from "../../state/resourceStore";
import { newStoredResource, propertiesOf, requireBody, requireLocation, resourceNotFound, tagsOf, touch } from "../resourceHelpers";

const apiVersions = ["2020-02-02"];
const resourceType = "Microsoft.Insights/components";
const componentTemplate = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Insights/components/{resourceName}";

function componentId(context: ArmRequestContext): string {
  return `${resourceGroupId(context.params)}/providers/Microsoft.Insights/components/${context.params.resourceName}`;
}

/** Workspace-based components must name an existing Log Analytics workspace. */
function checkWorkspace(services: ArmServices, workspaceResourceId: string): void {
  const workspace = services.store.get(workspaceResourceId);
  if (!workspace || workspace.type.toLowerCase() !== "microsoft.operationalinsights/workspaces") {
    throw new ArmError(
      400,
      "BadRequest",
      `Workspace resource '${workspaceResourceId}' was not found or is not a Log Analytics workspace. WorkspaceResourceId must be the resource id of an existing Log Analytics workspace.`,
    );
  }
}

export function applicationInsightsRoutes(services: ArmServices): ArmRoute[] {
  const { store } = services;

  const find = (context: ArmRequestContext): StoredResource => {
    const component = store.get(componentId(context));
    if (!component) throw resourceNotFound(context, `Microsoft.Insights/components/${context.params.resourceName}`);
    return component;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const body = requireBody(context);
    const location = requireLocation(body, resourceType);
    const kind = typeof body.kind === "string" ? body.kind : "web";
    const requested = isJsonObject(body.properties) ? body.properties : {};
    if (typeof requested.WorkspaceResourceId === "string") checkWorkspace(services, requested.WorkspaceResourceId);
    const id = componentId(context);
    const existing = store.get(id);
    if (existing) {
      if (existing.body.location !== location) throw armErrors.invalidResourceLocation(context.params.resourceName, jsonText(existing.body.location), location);
      const updated = touch(existing, context);
      updated.body = { ...existing.body, kind, properties: { ...propertiesOf(existing.body), ...requested } };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      store.put(updated);
      return { status: 200, body: updated.body };
    }
    const instrumentationKey = randomUUID();
    const appId = randomUUID();
    const properties: JsonObject = {
      Flow_Type: "Bluefield",
      Request_Source: "rest",
      RetentionInDays: 90,
      IngestionMode: typeof requested.WorkspaceResourceId === "string" ? "LogAnalytics" : "ApplicationInsights",
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      ...requested,
      ApplicationId: context.params.resourceName,
      AppId: appId,
      Name: context.params.resourceName,
      InstrumentationKey: instrumentationKey,
      ConnectionString: `InstrumentationKey=${instrumentationKey};IngestionEndpoint=https://${location}.in.applicationinsights.localhost/;ApplicationId=${appId}`,
      CreationDate: new Date().toISOString(),
      TenantId: context.params.subscriptionId,
      provisioningState: "Succeeded",
    };
    const resourceBody: JsonObject = {
      id,
      name: context.params.resourceName,
      type: "microsoft.insights/components",
      location,
      tags: tagsOf(body) ?? {},
      kind,
      etag: `"${randomUUID()}"`,
      properties,
    };
    store.put(newStoredResource(context, id, resourceType, resourceBody, { instrumentationKey }));
    return { status: 200, body: resourceBody };
  };

  return [
    defineRoute({
      operationId: "Components_CreateOrUpdate",
      method: "PUT",
      template: componentTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Insights/components/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Components_Get",
      method: "GET",
      template: componentTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Insights/components/read",
      handler: (context) => ({ status: 200, body: find(context).body }),
    }),
    defineRoute({
      operationId: "Components_Delete",
      method: "DELETE",
      template: componentTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Insights/components/delete",
      handler: (context) => {
        const component = store.get(componentId(context));
        if (!component) return { status: 204 };
        store.delete(component.id);
        return { status: 200 };
      },
    }),
  ];
}
