import { randomBytes, randomUUID } from "node:crypto";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../armRoute";
import { ArmError } from "../armErrors";
import { ArmServices } from "../armServices";
import { isJsonObject, JsonObject, jsonText } from "../../state/json";
import { StoredResource } from "../../state/resourceStore";
import { newStoredResource, propertiesOf, requireBody, requireLocation, resourceNotFound, tagsOf, touch } from "../resourceHelpers";
import { defineProvisioning, findByGlobalName } from "../provisioning";
import { isAuthorized } from "../authorization";

const apiVersions = ["2023-05-01"];
const resourceType = "Microsoft.Storage/storageAccounts";
const accountTemplate = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts/{accountName}";
const creation = "storageAccounts.create";

function invalidNameMessage(name: string): string {
  return `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`;
}

export function isValidStorageAccountName(name: string): boolean {
  return /^[a-z0-9]{3,24}$/.test(name);
}

function takenMessage(name: string): string {
  return `The storage account named ${name} is already taken.`;
}

function newAccountKey(): string {
  return randomBytes(64).toString("base64");
}

function accountId(context: ArmRequestContext): string {
  return `${resourceGroupId(context.params)}/providers/Microsoft.Storage/storageAccounts/${context.params.accountName}`;
}

/** The keys a storage account was created with, for Azurite and for listKeys. */
export function storageAccountKeys(resource: StoredResource): string[] {
  const keys = resource.secrets.keys;
  return Array.isArray(keys) ? keys.map(String) : [];
}

export function storageAccountRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations, storage } = services;

  defineProvisioning(services, creation, {
    onFailure: "remove",
    beforeSuccess: async (resource) => {
      await storage.registerAccount(jsonText(resource.body.name), storageAccountKeys(resource));
      return resource;
    },
  });

  const find = (context: ArmRequestContext): StoredResource => {
    const account = store.get(accountId(context));
    if (!account) throw resourceNotFound(context, `Microsoft.Storage/storageAccounts/${context.params.accountName}`);
    return account;
  };

  const create = (context: ArmRequestContext): ArmResult => {
    const name = context.params.accountName;
    if (!isValidStorageAccountName(name)) throw new ArmError(400, "AccountNameInvalid", invalidNameMessage(name));
    const body = requireBody(context);
    const location = requireLocation(body, resourceType);
    const sku = isJsonObject(body.sku) ? body.sku : undefined;
    const skuName = typeof sku?.name === "string" ? sku.name : undefined;
    if (!skuName) throw new ArmError(400, "InvalidRequestContent", "The value of parameter sku is invalid.");
    const kind = typeof body.kind === "string" ? body.kind : undefined;
    if (!kind) throw new ArmError(400, "InvalidRequestContent", "The value of parameter kind is invalid.");

    const id = accountId(context);
    const existing = store.get(id);
    const sameName = findByGlobalName(services, resourceType, name);
    if (sameName && sameName.id.toLowerCase() !== id.toLowerCase()) throw new ArmError(409, "StorageAccountAlreadyTaken", takenMessage(name));

    if (existing) {
      if (existing.body.location !== location) {
        throw new ArmError(
          409,
          "InvalidResourceLocation",
          `The resource '${name}' already exists in location '${jsonText(existing.body.location)}' in resource group '${context.params.resourceGroupName}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
        );
      }
      const running = store.inProgressOperationFor(existing.id);
      // Storage treats a repeated create as the same request: the caller joins the running operation.
      if (running) return { status: 202, headers: operations.locationHeaders(running) };
      const updated = touch(existing, context);
      const tags = tagsOf(body);
      updated.body = { ...existing.body, properties: { ...propertiesOf(existing.body), ...(isJsonObject(body.properties) ? body.properties : {}) } };
      if (tags) updated.body.tags = tags;
      store.put(updated);
      return { status: 200, body: updated.body };
    }

    const now = new Date().toISOString();
    const keys = [newAccountKey(), newAccountKey()];
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const properties: JsonObject = {
      keyCreationTime: { key1: now, key2: now },
      privateEndpointConnections: [],
      networkAcls: { bypass: "AzureServices", virtualNetworkRules: [], ipRules: [], defaultAction: "Allow" },
      supportsHttpsTrafficOnly: true,
      encryption: {
        services: {
          blob: { keyType: "Account", enabled: true, lastEnabledTime: now },
          file: { keyType: "Account", enabled: true, lastEnabledTime: now },
        },
        keySource: "Microsoft.Storage",
      },
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      ...requested,
      provisioningState: "Creating",
      creationTime: now,
      // Only the blob service is emulated (by Azurite), so only its endpoint is given.
      primaryEndpoints: { blob: `${storage.protocol}://${name}.blob.${storage.endpointSuffix}/` },
      primaryLocation: location,
      statusOfPrimary: "available",
    };
    if (kind === "StorageV2" || kind === "BlobStorage") properties.accessTier = typeof requested.accessTier === "string" ? requested.accessTier : "Hot";
    const resourceBody: JsonObject = {
      sku: { name: skuName, tier: skuName.startsWith("Premium") ? "Premium" : "Standard" },
      kind,
      id,
      name,
      type: resourceType,
      location,
      tags: tagsOf(body) ?? {},
      properties,
    };
    if (isJsonObject(body.identity) && typeof body.identity.type === "string" && body.identity.type !== "None") {
      resourceBody.identity = { ...body.identity, principalId: randomUUID(), tenantId: services.directory.state.tenantId };
    }
    store.put(newStoredResource(context, id, resourceType, resourceBody, { keys }));
    const operation = operations.start({ context, resourceId: id, kind: "create", completion: creation, providerNamespace: "Microsoft.Storage", location });
    services.log("info", `storage account ${name} being created (operation ${operation.id})`);
    return { status: 202, headers: operations.locationHeaders(operation) };
  };

  const readAction = "Microsoft.Storage/storageAccounts/read";
  return [
    defineRoute({
      operationId: "StorageAccounts_CheckNameAvailability",
      method: "POST",
      template: "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/checkNameAvailability",
      apiVersions,
      resourceType,
      action: "Microsoft.Storage/checknameavailability/read",
      scope: "subscription",
      handler: (context): ArmResult => {
        const body = requireBody(context);
        const name = typeof body.name === "string" ? body.name : "";
        if (!isValidStorageAccountName(name))
          return { status: 200, body: { nameAvailable: false, reason: "AccountNameInvalid", message: invalidNameMessage(name) } };
        if (findByGlobalName(services, resourceType, name))
          return { status: 200, body: { nameAvailable: false, reason: "AlreadyExists", message: takenMessage(name) } };
        return { status: 200, body: { nameAvailable: true } };
      },
    }),
    defineRoute({
      operationId: "StorageAccounts_Create",
      method: "PUT",
      template: accountTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Storage/storageAccounts/write",
      handler: create,
    }),
    defineRoute({
      operationId: "StorageAccounts_GetProperties",
      method: "GET",
      template: accountTemplate,
      apiVersions,
      resourceType,
      action: readAction,
      handler: (context) => ({ status: 200, body: find(context).body }),
    }),
    defineRoute({
      operationId: "StorageAccounts_Update",
      method: "PATCH",
      template: accountTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Storage/storageAccounts/write",
      handler: (context) => {
        const body = requireBody(context);
        const account = touch(find(context), context);
        const tags = tagsOf(body);
        account.body = { ...account.body, properties: { ...propertiesOf(account.body), ...(isJsonObject(body.properties) ? body.properties : {}) } };
        if (tags) account.body.tags = tags;
        store.put(account);
        return { status: 200, body: account.body };
      },
    }),
    defineRoute({
      operationId: "StorageAccounts_Delete",
      method: "DELETE",
      template: accountTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.Storage/storageAccounts/delete",
      handler: async (context) => {
        const account = store.get(accountId(context));
        if (!account) return { status: 204 };
        store.delete(account.id);
        await storage.forgetAccount(jsonText(account.body.name));
        return { status: 200 };
      },
    }),
    defineRoute({
      operationId: "StorageAccounts_ListKeys",
      method: "POST",
      template: `${accountTemplate}/listKeys`,
      apiVersions,
      resourceType,
      action: "Microsoft.Storage/storageAccounts/listkeys/action",
      scope: "pathParent",
      handler: (context) => {
        const account = find(context);
        const created = jsonText(propertiesOf(account.body).creationTime ?? account.createdAt);
        return {
          status: 200,
          body: {
            keys: storageAccountKeys(account).map((value, index) => ({ creationTime: created, keyName: `key${index + 1}`, value, permissions: "Full" })),
          },
        };
      },
    }),
    defineRoute({
      operationId: "StorageAccounts_ListByResourceGroup",
      method: "GET",
      template: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts",
      apiVersions,
      resourceType,
      action: readAction,
      scope: "resourceGroup",
      handler: (context) => ({
        status: 200,
        body: {
          value: store
            .under(resourceGroupId(context.params))
            .filter((resource) => resource.type === resourceType)
            .map((resource) => resource.body),
        },
      }),
    }),
    defineRoute({
      operationId: "StorageAccounts_List",
      method: "GET",
      template: "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts",
      apiVersions,
      resourceType,
      action: readAction,
      scope: "subscription",
      authorize: () => true,
      handler: (context) => ({
        status: 200,
        body: {
          value: store
            .ofType(resourceType)
            .filter((resource) => isAuthorized(context.principal, readAction, resource.id))
            .map((resource) => resource.body),
        },
      }),
    }),
  ];
}
