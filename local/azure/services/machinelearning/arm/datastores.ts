import { ArmRequestContext, ArmResult, ArmRoute, defineRoute } from "../../../arm/armRoute";
import { ArmError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { isJsonObject, JsonObject, jsonText } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { newStoredResource, newStoredResourceBy, requireBody, systemData, touch } from "../../../arm/resourceHelpers";
import { storageAccountKeys } from "../../../arm/providers/storageAccounts";
import { datastoreType, machineLearningApiVersions, workspaceId, workspaceTemplate } from "./workspaceIds";
import { requireWorkspace as requireParentWorkspace, requireWorkspaceChild } from "./workspaceChildren";

const datastoreTemplate = `${workspaceTemplate}/datastores/{name}`;

/** Where the secret of a datastore comes from: given by its creator, or the workspace's storage account key. */
export type DatastoreSecretSource = { kind: "given"; secrets: JsonObject } | { kind: "storageAccountKey"; storageAccountId: string } | { kind: "none" };

function datastoreId(context: ArmRequestContext): string {
  return `${workspaceId(context.params)}/datastores/${context.params.name}`;
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

/**
 * The GET shape never carries secret values; they come back only through listSecrets. The
 * swagger still requires the `secrets` object of key, SAS, certificate and service principal
 * credentials, so it is kept with its `secretsType` alone.
 */
function withoutSecrets(properties: JsonObject): { properties: JsonObject; secrets: JsonObject | undefined } {
  const credentials = isJsonObject(properties.credentials) ? properties.credentials : undefined;
  if (!credentials) return { properties, secrets: undefined };
  const { secrets, ...rest } = credentials;
  if (!isJsonObject(secrets)) return { properties: { ...properties, credentials: rest }, secrets: undefined };
  const redacted: JsonObject = { ...rest, secrets: { secretsType: secrets.secretsType ?? null } };
  return { properties: { ...properties, credentials: redacted }, secrets };
}

export interface SystemDatastore {
  name: string;
  containerName: string;
  isDefault: boolean;
  description: string;
}

/** The datastores Azure ML makes with a workspace, on containers of its storage account. */
export function createSystemDatastore(
  services: ArmServices,
  createdBy: string,
  workspace: StoredResource,
  storageAccount: StoredResource,
  datastore: SystemDatastore,
): void {
  const id = `${workspace.id}/datastores/${datastore.name}`;
  const body: JsonObject = {
    id,
    name: datastore.name,
    type: datastoreType,
    properties: {
      description: datastore.description,
      tags: {},
      properties: {},
      isDefault: datastore.isDefault,
      credentials: { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey" } },
      datastoreType: "AzureBlob",
      accountName: jsonText(storageAccount.body.name),
      containerName: datastore.containerName,
      endpoint: services.storage.endpointSuffix,
      protocol: services.storage.protocol,
      serviceDataAccessAuthIdentity: "None",
    },
  };
  const source: DatastoreSecretSource = { kind: "storageAccountKey", storageAccountId: storageAccount.id };
  services.store.put(newStoredResourceBy(createdBy, id, datastoreType, body, { source }));
}

function secretsFor(services: ArmServices, resource: StoredResource): JsonObject {
  const source = resource.secrets.source;
  if (isJsonObject(source) && source.kind === "storageAccountKey" && typeof source.storageAccountId === "string") {
    const account = services.store.get(source.storageAccountId);
    const key = account ? storageAccountKeys(account)[0] : undefined;
    if (!key) throw new ArmError(400, "UserError", `The storage account of datastore '${jsonText(resource.body.name)}' no longer exists.`);
    return { secretsType: "AccountKey", key };
  }
  if (isJsonObject(source) && source.kind === "given" && isJsonObject(source.secrets)) return source.secrets;
  throw new ArmError(400, "UserError", `Datastore '${jsonText(resource.body.name)}' has no secrets: it uses identity-based access.`);
}

export function datastoreRoutes(services: ArmServices): ArmRoute[] {
  const { store } = services;

  const requireWorkspace = (context: ArmRequestContext): StoredResource => requireParentWorkspace(store, context);
  const find = (context: ArmRequestContext): StoredResource => requireWorkspaceChild(store, context, datastoreId(context), `datastores/${context.params.name}`);

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    requireWorkspace(context);
    const body = requireBody(context);
    if (!isJsonObject(body.properties)) throw new ArmError(400, "UserError", "The datastore properties are required.");
    const { properties, secrets } = withoutSecrets(body.properties);
    const id = datastoreId(context);
    const existing = store.get(id);
    const source: DatastoreSecretSource = secrets ? { kind: "given", secrets } : { kind: "none" };
    const resourceBody: JsonObject = {
      id,
      name: context.params.name,
      type: datastoreType,
      properties: {
        tags: {},
        properties: {},
        ...properties,
        isDefault: existing && isJsonObject(existing.body.properties) ? (existing.body.properties.isDefault ?? false) : false,
      },
    };
    if (existing) {
      const updated = touch(existing, context);
      updated.body = resourceBody;
      updated.secrets = { source };
      store.put(updated);
      return { status: 200, body: view(updated) };
    }
    const created = newStoredResource(context, id, datastoreType, resourceBody, { source });
    store.put(created);
    return { status: 201, body: view(created) };
  };

  return [
    defineRoute({
      operationId: "Datastores_List",
      method: "GET",
      template: `${workspaceTemplate}/datastores`,
      apiVersions: machineLearningApiVersions,
      resourceType: datastoreType,
      action: "Microsoft.MachineLearningServices/workspaces/datastores/read",
      scope: "pathParent",
      handler: (context) => {
        const workspace = requireWorkspace(context);
        let datastores = store.under(workspace.id).filter((resource) => resource.type === datastoreType);
        const isDefault = context.query.get("isDefault");
        if (isDefault !== null)
          datastores = datastores.filter(
            (resource) => isJsonObject(resource.body.properties) && jsonText(resource.body.properties.isDefault) === isDefault.toLowerCase(),
          );
        const names = context.query.getAll("names").flatMap((value) => value.split(","));
        if (names.length > 0) datastores = datastores.filter((resource) => names.includes(jsonText(resource.body.name)));
        return { status: 200, body: { value: datastores.map(view) } };
      },
    }),
    defineRoute({
      operationId: "Datastores_Get",
      method: "GET",
      template: datastoreTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: datastoreType,
      action: "Microsoft.MachineLearningServices/workspaces/datastores/read",
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Datastores_CreateOrUpdate",
      method: "PUT",
      template: datastoreTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: datastoreType,
      action: "Microsoft.MachineLearningServices/workspaces/datastores/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Datastores_Delete",
      method: "DELETE",
      template: datastoreTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: datastoreType,
      action: "Microsoft.MachineLearningServices/workspaces/datastores/delete",
      handler: (context) => {
        requireWorkspace(context);
        const datastore = store.get(datastoreId(context));
        if (!datastore) return { status: 204 };
        store.delete(datastore.id);
        return { status: 200 };
      },
    }),
    defineRoute({
      operationId: "Datastores_ListSecrets",
      method: "POST",
      template: `${datastoreTemplate}/listSecrets`,
      apiVersions: machineLearningApiVersions,
      resourceType: datastoreType,
      action: "Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action",
      scope: "pathParent",
      handler: (context) => ({ status: 200, body: secretsFor(services, find(context)) }),
    }),
  ];
}
