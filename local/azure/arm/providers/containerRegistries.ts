import { randomBytes } from "node:crypto";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../armRoute";
import { ArmError } from "../armErrors";
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
import { defineDeletion, defineProvisioning, findByGlobalName, needsReprovisioning } from "../provisioning";

const apiVersions = ["2023-07-01"];
const resourceType = "Microsoft.ContainerRegistry/registries";
const registryTemplate = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";
const creation = "registries.create";
const deletion = "registries.delete";
const skus = ["Basic", "Standard", "Premium"];

export function isValidRegistryName(name: string): boolean {
  return /^[a-zA-Z0-9]{5,50}$/.test(name);
}

function registryId(context: ArmRequestContext): string {
  return `${resourceGroupId(context.params)}/providers/Microsoft.ContainerRegistry/registries/${context.params.registryName}`;
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

export function containerRegistryRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations } = services;
  defineProvisioning(services, creation);
  defineDeletion(services, deletion);

  const find = (context: ArmRequestContext): StoredResource => {
    const registry = store.get(registryId(context));
    if (!registry) throw resourceNotFound(context, `Microsoft.ContainerRegistry/registries/${context.params.registryName}`);
    return registry;
  };

  const create = (context: ArmRequestContext): ArmResult => {
    const name = context.params.registryName;
    if (!isValidRegistryName(name))
      throw new ArmError(400, "InvalidRegistryName", "Registry name must be 5-50 characters and contain only alphanumeric characters.");
    const body = requireBody(context);
    const location = requireLocation(body, resourceType);
    const skuName = isJsonObject(body.sku) && typeof body.sku.name === "string" ? body.sku.name : "";
    if (!skus.includes(skuName)) throw new ArmError(400, "InvalidSku", `The sku '${skuName}' is not valid. Valid skus are: ${skus.join(", ")}.`);
    const id = registryId(context);
    const elsewhere = findByGlobalName(services, resourceType, name);
    if (elsewhere && elsewhere.id.toLowerCase() !== id.toLowerCase()) {
      throw new ArmError(
        409,
        "AlreadyInUse",
        `The registry DNS name ${name.toLowerCase()}.azurecr.io is already in use. You can check if the name is already claimed using following API: https://docs.microsoft.com/en-us/rest/api/containerregistry/registries/checknameavailability`,
      );
    }
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const existing = store.get(id);
    if (existing) {
      operations.refuseWhileRunning(existing.id);
      const updated = touch(existing, context);
      updated.body = { ...existing.body, sku: { name: skuName, tier: skuName }, properties: { ...propertiesOf(existing.body), ...requested } };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      if (needsReprovisioning(existing)) {
        store.put(withProvisioningState(updated, "Updating"));
        const operation = operations.start({
          context,
          resourceId: id,
          kind: "update",
          completion: creation,
          providerNamespace: "Microsoft.ContainerRegistry",
          location,
        });
        const again = store.get(id);
        return {
          status: 200,
          body: again ? view(again) : updated.body,
          headers: { "Azure-AsyncOperation": operations.asyncOperationHeaders(operation)["Azure-AsyncOperation"] },
        };
      }
      store.put(updated);
      return { status: 200, body: view(updated) };
    }
    const now = new Date().toISOString();
    const properties: JsonObject = {
      adminUserEnabled: false,
      policies: {
        quarantinePolicy: { status: "disabled" },
        trustPolicy: { type: "Notary", status: "disabled" },
        retentionPolicy: { days: 7, lastUpdatedTime: now, status: "disabled" },
        exportPolicy: { status: "enabled" },
      },
      encryption: { status: "disabled" },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      publicNetworkAccess: "Enabled",
      networkRuleBypassOptions: "AzureServices",
      zoneRedundancy: "Disabled",
      ...requested,
      // The registry itself is not emulated; its login server names a loopback host.
      loginServer: `${name.toLowerCase()}.azurecr.localhost`,
      creationDate: now,
      provisioningState: "Creating",
    };
    const resourceBody: JsonObject = { sku: { name: skuName, tier: skuName }, id, name, type: resourceType, location, tags: tagsOf(body) ?? {}, properties };
    const passwords = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];
    store.put(newStoredResource(context, id, resourceType, resourceBody, { passwords }));
    const operation = operations.start({
      context,
      resourceId: id,
      kind: "create",
      completion: creation,
      providerNamespace: "Microsoft.ContainerRegistry",
      location,
    });
    const created = store.get(id);
    return {
      status: 201,
      body: created ? view(created) : resourceBody,
      headers: { "Azure-AsyncOperation": operations.asyncOperationHeaders(operation)["Azure-AsyncOperation"] },
    };
  };

  return [
    defineRoute({
      operationId: "Registries_CheckNameAvailability",
      method: "POST",
      template: "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
      apiVersions,
      resourceType,
      action: "Microsoft.ContainerRegistry/checkNameAvailability/read",
      scope: "subscription",
      handler: (context): ArmResult => {
        const body = requireBody(context);
        const name = typeof body.name === "string" ? body.name : "";
        if (!isValidRegistryName(name))
          return {
            status: 200,
            body: { nameAvailable: false, reason: "Invalid", message: "Registry name must be 5-50 characters and contain only alphanumeric characters." },
          };
        if (findByGlobalName(services, resourceType, name))
          return { status: 200, body: { nameAvailable: false, reason: "AlreadyExists", message: `The registry ${name} is already in use.` } };
        return { status: 200, body: { nameAvailable: true } };
      },
    }),
    defineRoute({
      operationId: "Registries_Create",
      method: "PUT",
      template: registryTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.ContainerRegistry/registries/write",
      handler: create,
    }),
    defineRoute({
      operationId: "Registries_Get",
      method: "GET",
      template: registryTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.ContainerRegistry/registries/read",
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Registries_Delete",
      method: "DELETE",
      template: registryTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.ContainerRegistry/registries/delete",
      handler: (context) => {
        const registry = store.get(registryId(context));
        if (!registry) return { status: 204 };
        operations.refuseWhileRunning(registry.id);
        store.put({ ...registry, body: { ...registry.body, properties: { ...propertiesOf(registry.body), provisioningState: "Deleting" } } });
        const operation = operations.start({
          context,
          resourceId: registry.id,
          kind: "delete",
          completion: deletion,
          providerNamespace: "Microsoft.ContainerRegistry",
          location: jsonText(registry.body.location),
        });
        return { status: 202, headers: operations.locationHeaders(operation) };
      },
    }),
    defineRoute({
      operationId: "Registries_ListCredentials",
      method: "POST",
      template: `${registryTemplate}/listCredentials`,
      apiVersions,
      resourceType,
      action: "Microsoft.ContainerRegistry/registries/listCredentials/action",
      scope: "pathParent",
      handler: (context) => {
        const registry = find(context);
        if (propertiesOf(registry.body).adminUserEnabled !== true) {
          throw new ArmError(400, "AdminUserDisabled", `Admin user is disabled for registry '${context.params.registryName}'.`);
        }
        const passwords = Array.isArray(registry.secrets.passwords) ? registry.secrets.passwords.map(String) : [];
        return {
          status: 200,
          body: {
            username: jsonText(registry.body.name),
            passwords: passwords.map((value, index) => ({ name: index === 0 ? "password" : "password2", value })),
          },
        };
      },
    }),
  ];
}
