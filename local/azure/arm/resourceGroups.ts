import { ArmRequestContext, ArmResult, ArmRoute, defineRoute } from "./armRoute";
import { ArmError, armErrors } from "./armErrors";
import { ArmServices } from "./armServices";
import { newStoredResource, propertiesOf, requireBody, tagsOf, touch } from "./resourceHelpers";
import { availableLocations, isAvailableLocation, normalizeLocation } from "./locations";
import { isAuthorized } from "./authorization";
import { JsonObject, jsonText } from "../state/json";
import { StoredResource } from "../state/resourceStore";

const apiVersions = ["2024-03-01"];
const resourceType = "Microsoft.Resources/resourceGroups";
const groupTemplate = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";
export const resourceGroupDeletion = "resourceGroups.delete";

function groupId(context: ArmRequestContext): string {
  return `/subscriptions/${context.params.subscriptionId}/resourceGroups/${context.params.resourceGroupName}`;
}

/** Resource group names: 1–90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'. */
function checkGroupName(name: string): void {
  if (!/^[-\w._()]{1,90}$/u.test(name) || name.endsWith(".")) {
    throw new ArmError(
      400,
      "InvalidResourceGroup",
      `The provided resource group name '${name}' has these invalid characters: '${name.replace(/[-\w._()]/gu, "")}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.`,
    );
  }
}

function view(resource: StoredResource): JsonObject {
  return resource.body;
}

export function resourceGroupRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations } = services;

  operations.defineCompletion(resourceGroupDeletion, {
    succeed: async (operation) => {
      for (const resource of store.under(operation.resourceId)) {
        if (resource.type.toLowerCase() === "microsoft.storage/storageaccounts") await services.storage.forgetAccount(jsonText(resource.body.name));
      }
      store.delete(operation.resourceId);
    },
    fail: (operation) => {
      const group = store.get(operation.resourceId);
      if (group) store.put({ ...group, body: { ...group.body, properties: { provisioningState: "Succeeded" } } });
      return Promise.resolve();
    },
  });

  const get = (context: ArmRequestContext): StoredResource => {
    const group = store.get(groupId(context));
    if (!group) throw armErrors.resourceGroupNotFound(context.params.resourceGroupName);
    return group;
  };

  return [
    defineRoute({
      operationId: "ResourceGroups_CreateOrUpdate",
      method: "PUT",
      template: groupTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/write",
      handler: (context): ArmResult => {
        checkGroupName(context.params.resourceGroupName);
        const body = requireBody(context);
        const location = body.location;
        if (typeof location !== "string" || !isAvailableLocation(location)) {
          throw armErrors.locationNotAvailableForResourceGroup(jsonText(location), availableLocations);
        }
        const existing = store.get(groupId(context));
        if (existing) {
          if (existing.body.location !== normalizeLocation(location)) {
            throw armErrors.invalidResourceGroupLocation(jsonText(existing.body.location), location);
          }
          if (propertiesOf(existing.body).provisioningState === "Deleting") {
            throw new ArmError(
              409,
              "ResourceGroupBeingDeleted",
              `The resource group '${context.params.resourceGroupName}' is in deprovisioning state and cannot perform this operation.`,
            );
          }
          const updated = touch(existing, context);
          const tags = tagsOf(body);
          updated.body = { ...existing.body };
          if (tags) updated.body.tags = tags;
          else delete updated.body.tags;
          store.put(updated);
          return { status: 200, body: view(updated) };
        }
        const id = groupId(context);
        const normalizedLocation = normalizeLocation(location);
        const resourceBody: JsonObject = {
          id,
          name: context.params.resourceGroupName,
          type: resourceType,
          location: normalizedLocation,
          properties: { provisioningState: "Succeeded" },
        };
        const tags = tagsOf(body);
        if (tags) resourceBody.tags = tags;
        if (typeof body.managedBy === "string") resourceBody.managedBy = body.managedBy;
        const created = newStoredResource(context, id, resourceType, resourceBody);
        store.put(created);
        services.log("info", `resource group ${id} created in ${normalizedLocation}`);
        return { status: 201, body: view(created) };
      },
    }),
    defineRoute({
      operationId: "ResourceGroups_Get",
      method: "GET",
      template: groupTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      handler: (context) => ({ status: 200, body: view(get(context)) }),
    }),
    defineRoute({
      operationId: "ResourceGroups_CheckExistence",
      method: "HEAD",
      template: groupTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      handler: (context) => ({ status: store.has(groupId(context)) ? 204 : 404 }),
    }),
    defineRoute({
      operationId: "ResourceGroups_Update",
      method: "PATCH",
      template: groupTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/write",
      handler: (context) => {
        const group = touch(get(context), context);
        const tags = tagsOf(requireBody(context));
        if (tags) group.body = { ...group.body, tags };
        store.put(group);
        return { status: 200, body: view(group) };
      },
    }),
    defineRoute({
      operationId: "ResourceGroups_Delete",
      method: "DELETE",
      template: groupTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/delete",
      handler: (context) => {
        const group = get(context);
        const running = store.inProgressOperationFor(group.id);
        if (running) return { status: 202, headers: operations.locationHeaders(running) };
        store.put({ ...group, body: { ...group.body, properties: { provisioningState: "Deleting" } } });
        const operation = operations.start({
          context,
          resourceId: group.id,
          kind: "delete",
          completion: resourceGroupDeletion,
          providerNamespace: "Microsoft.Resources",
          location: jsonText(group.body.location),
        });
        return { status: 202, headers: operations.locationHeaders(operation) };
      },
    }),
    defineRoute({
      operationId: "ResourceGroups_List",
      method: "GET",
      template: "/subscriptions/{subscriptionId}/resourcegroups",
      apiVersions,
      resourceType,
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      // ARM lists what the caller may read, rather than refusing the whole list.
      authorize: () => true,
      handler: (context) => ({
        status: 200,
        body: {
          value: store
            .ofType(resourceType)
            .filter((group) => isAuthorized(context.principal, "Microsoft.Resources/subscriptions/resourceGroups/read", group.id))
            .map(view),
        },
      }),
    }),
  ];
}
