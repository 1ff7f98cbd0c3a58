import { ArmRequestContext, ArmResult, ArmRoute, defineRoute, resourceGroupId } from "../armRoute";
import { ArmError } from "../armErrors";
import { ArmServices } from "../armServices";
import { isJsonObject, JsonObject, jsonText, withoutKey } from "../../state/json";
import { StoredResource } from "../../state/resourceStore";
import { newStoredResource, propertiesOf, requireBody, requireLocation, resourceNotFound, systemData, tagsOf, touch } from "../resourceHelpers";
import { defineProvisioning, findByGlobalName } from "../provisioning";

const apiVersions = ["2023-07-01"];
const resourceType = "Microsoft.KeyVault/vaults";
const deletedType = "Microsoft.KeyVault/deletedVaults";
const vaultTemplate = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}";
const deletedTemplate = "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}";
const dnsRegistration = "vaults.registerDns";

/** 3–24 characters, letters, digits and single hyphens, starting with a letter and not ending with a hyphen. */
export function isValidVaultName(name: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(name) && !name.includes("--");
}

function invalidNameMessage(name: string): string {
  return `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.`;
}

function inUseMessage(name: string): string {
  return `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`;
}

function vaultId(context: ArmRequestContext): string {
  return `${resourceGroupId(context.params)}/providers/Microsoft.KeyVault/vaults/${context.params.vaultName}`;
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

export function keyVaultRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations, directory } = services;
  const keyVaultPort = new URL(services.baseUrl).port;

  // Key Vault answers the PUT at once and finishes registering the vault's DNS name afterwards.
  defineProvisioning(services, dnsRegistration, { onFailure: "cannotFail" });

  const find = (context: ArmRequestContext): StoredResource => {
    const vault = store.get(vaultId(context));
    if (!vault) throw resourceNotFound(context, `Microsoft.KeyVault/vaults/${context.params.vaultName}`);
    return vault;
  };

  const deletedVault = (name: string): StoredResource | undefined => findByGlobalName(services, deletedType, name);
  const requireDeletedVault = (name: string): StoredResource => {
    const deleted = deletedVault(name);
    if (!deleted) throw new ArmError(404, "ResourceNotFound", `The Resource 'Microsoft.KeyVault/deletedVaults/${name}' was not found.`);
    return deleted;
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const name = context.params.vaultName;
    if (!isValidVaultName(name)) throw new ArmError(400, "VaultNameNotValid", invalidNameMessage(name));
    const body = requireBody(context);
    const location = requireLocation(body, resourceType);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const tenantId = typeof requested.tenantId === "string" ? requested.tenantId : "";
    if (tenantId.toLowerCase() !== directory.state.tenantId.toLowerCase()) {
      throw new ArmError(
        400,
        "BadRequest",
        `The tenant '${tenantId}' of the vault does not match the tenant '${directory.state.tenantId}' of subscription '${context.params.subscriptionId}'.`,
      );
    }
    const id = vaultId(context);
    const existing = store.get(id);
    const elsewhere = findByGlobalName(services, resourceType, name);
    if (elsewhere && elsewhere.id.toLowerCase() !== id.toLowerCase()) throw new ArmError(409, "VaultAlreadyExists", inUseMessage(name));

    if (existing) {
      const updated = touch(existing, context);
      // createMode says how to create; it is not a property the vault keeps.
      const settable = withoutKey(requested, "createMode");
      updated.body = {
        ...existing.body,
        properties: { ...propertiesOf(existing.body), ...settable, provisioningState: propertiesOf(existing.body).provisioningState ?? "Succeeded" },
      };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      store.put(updated);
      return { status: 200, body: view(updated) };
    }

    const deleted = deletedVault(name);
    if (deleted && requested.createMode !== "recover") {
      throw new ArmError(
        409,
        "ConflictError",
        `A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.`,
      );
    }
    if (deleted) store.delete(deleted.id);

    const settable = withoutKey(requested, "createMode");
    const properties: JsonObject = {
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: false,
      publicNetworkAccess: "Enabled",
      ...settable,
      // The data plane is not emulated; the URI names a loopback host so nothing reaches the internet.
      vaultUri: `https://${name.toLowerCase()}.vault.localhost:${keyVaultPort}/`,
      provisioningState: "RegisteringDns",
    };
    const resourceBody: JsonObject = { id, name, type: resourceType, location, tags: tagsOf(body) ?? {}, properties };
    store.put(newStoredResource(context, id, resourceType, resourceBody));
    operations.start({ context, resourceId: id, kind: "create", completion: dnsRegistration, providerNamespace: "Microsoft.KeyVault", location });
    const created = store.get(id);
    return { status: 201, body: created ? view(created) : resourceBody };
  };

  return [
    defineRoute({
      operationId: "Vaults_CheckNameAvailability",
      method: "POST",
      template: "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability",
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/checkNameAvailability/read",
      scope: "subscription",
      handler: (context): ArmResult => {
        const body = requireBody(context);
        const name = typeof body.name === "string" ? body.name : "";
        if (!isValidVaultName(name)) return { status: 200, body: { nameAvailable: false, reason: "AccountNameInvalid", message: invalidNameMessage(name) } };
        if (findByGlobalName(services, resourceType, name) || deletedVault(name)) {
          return { status: 200, body: { nameAvailable: false, reason: "AlreadyExists", message: `The vault name '${name}' is already in use.` } };
        }
        return { status: 200, body: { nameAvailable: true } };
      },
    }),
    defineRoute({
      operationId: "Vaults_CreateOrUpdate",
      method: "PUT",
      template: vaultTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/vaults/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Vaults_Get",
      method: "GET",
      template: vaultTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/vaults/read",
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Vaults_Delete",
      method: "DELETE",
      template: vaultTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/vaults/delete",
      handler: (context) => {
        const vault = store.get(vaultId(context));
        if (!vault) return { status: 204 };
        store.delete(vault.id);
        // Soft delete: the name stays reserved until the vault is purged.
        const location = jsonText(vault.body.location);
        const deletedId = `/subscriptions/${context.params.subscriptionId}/providers/Microsoft.KeyVault/locations/${location}/deletedVaults/${jsonText(vault.body.name)}`;
        const now = new Date();
        store.put(
          newStoredResource(context, deletedId, deletedType, {
            id: deletedId,
            name: jsonText(vault.body.name),
            type: deletedType,
            properties: {
              vaultId: vault.id,
              location,
              deletionDate: now.toISOString(),
              scheduledPurgeDate: new Date(now.getTime() + 90 * 24 * 3600 * 1000).toISOString(),
              tags: isJsonObject(vault.body.tags) ? vault.body.tags : {},
              purgeProtectionEnabled: propertiesOf(vault.body).enablePurgeProtection === true,
            },
          }),
        );
        return { status: 200 };
      },
    }),
    defineRoute({
      operationId: "Vaults_GetDeleted",
      method: "GET",
      template: deletedTemplate,
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/locations/deletedVaults/read",
      scope: "subscription",
      handler: (context) => {
        const deleted = requireDeletedVault(context.params.vaultName);
        return { status: 200, body: deleted.body };
      },
    }),
    defineRoute({
      operationId: "Vaults_PurgeDeleted",
      method: "POST",
      template: `${deletedTemplate}/purge`,
      apiVersions,
      resourceType,
      action: "Microsoft.KeyVault/locations/deletedVaults/purge/action",
      scope: "subscription",
      handler: (context) => {
        const deleted = requireDeletedVault(context.params.vaultName);
        store.delete(deleted.id);
        return { status: 200 };
      },
    }),
  ];
}
