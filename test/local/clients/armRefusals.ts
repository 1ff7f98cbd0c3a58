import { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { outcome, Outcome } from "../support/clientOutcome";
import { armClients, principal, runClient, secretCredential } from "./clientSupport";

export interface RawAnswer {
  status: number;
  code?: string;
  message?: string;
  details?: { code: string; target?: string }[];
  requestId: string | null;
  correlationId: string | null;
}

export interface RefusalsReport {
  sdk: Record<string, Outcome<unknown>>;
  raw: Record<string, RawAnswer>;
  scopedPrincipal: Record<string, Outcome<unknown>>;
  nameChecksAfterCreate: Record<string, { nameAvailable?: boolean; reason?: string; message?: string }>;
}

async function raw(connection: LocalAzureConnection, token: string, method: string, path: string, body?: unknown): Promise<RawAnswer> {
  const response = await fetch(`${connection.armUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: { code?: string; message?: string; details?: { code: string; target?: string }[] } }) : {};
  return {
    status: response.status,
    code: parsed.error?.code,
    message: parsed.error?.message,
    details: parsed.error?.details,
    requestId: response.headers.get("x-ms-request-id"),
    correlationId: response.headers.get("x-ms-correlation-request-id"),
  };
}

/** The ways ARM says no: 400, 401, 403, 404, 409, each with its code and message. */
runClient(async (connection): Promise<RefusalsReport> => {
  const location = "westeurope";
  const owner = armClients(connection, secretCredential(connection));
  const scoped = principal(connection, "workspace-scoped");
  const scopedGroup = scoped.resourceGroupName ?? "";
  const scopedWorkspace = scoped.mlWorkspaceName ?? "";
  const subscription = `/subscriptions/${connection.subscriptionId}`;

  // The workspace the scoped service connection is for, made by the subscription-wide principal.
  await owner.resourceGroups.createOrUpdate(scopedGroup, { location });
  await owner.resourceGroups.createOrUpdate("rg-other", { location });
  const storage = await owner.storage.storageAccounts.create(scopedGroup, "sascoped", { location, kind: "StorageV2", sku: { name: "Standard_LRS" } });
  const vault = await owner.keyVault.vaults.createOrUpdate(scopedGroup, "kv-scoped", {
    location,
    properties: { tenantId: connection.tenantId, sku: { family: "A", name: "standard" } },
  });
  const registry = await owner.registry.registries.create(scopedGroup, "crscoped", { location, sku: { name: "Basic" } });
  await owner.machineLearning.workspaces.beginCreateOrUpdateAndWait(scopedGroup, scopedWorkspace, {
    location,
    storageAccount: storage.id,
    keyVault: vault.id,
    identity: { type: "SystemAssigned" },
  });

  const sdk: Record<string, Outcome<unknown>> = {
    missingResourceGroup: await outcome(() => owner.storage.storageAccounts.getProperties("rg-missing", "sascoped")),
    missingResource: await outcome(() => owner.storage.storageAccounts.getProperties(scopedGroup, "sanothere")),
    missingCompute: await outcome(() => owner.machineLearning.computeOperations.get(scopedGroup, scopedWorkspace, "nothere")),
    storageNameTaken: await outcome(() =>
      owner.storage.storageAccounts.create("rg-other", "sascoped", { location, kind: "StorageV2", sku: { name: "Standard_LRS" } }),
    ),
    vaultNameTaken: await outcome(() =>
      owner.keyVault.vaults.createOrUpdate("rg-other", "kv-scoped", {
        location,
        properties: { tenantId: connection.tenantId, sku: { family: "A", name: "standard" } },
      }),
    ),
    registryNameTaken: await outcome(() => owner.registry.registries.create("rg-other", "CRSCOPED", { location, sku: { name: "Basic" } })),
    unknownLocation: await outcome(() => owner.resourceGroups.createOrUpdate("rg-nowhere", { location: "atlantis" })),
    workspaceWithMissingStorage: await outcome(() =>
      owner.machineLearning.workspaces.beginCreateOrUpdateAndWait("rg-other", "aml-broken", {
        location,
        storageAccount: `${subscription}/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/sanothere`,
        keyVault: vault.id,
      }),
    ),
    unsupportedVmSize: await outcome(() =>
      owner.machineLearning.computeOperations.beginCreateOrUpdateAndWait(scopedGroup, scopedWorkspace, "gpu", {
        location,
        properties: { computeType: "AmlCompute", properties: { vmSize: "STANDARD_NOPE", scaleSettings: { maxNodeCount: 1 } } },
      }),
    ),
  };

  const nameChecksAfterCreate = {
    storage: await owner.storage.storageAccounts.checkNameAvailability({ name: "sascoped", type: "Microsoft.Storage/storageAccounts" }),
    storageInvalid: await owner.storage.storageAccounts.checkNameAvailability({ name: "Not_Valid", type: "Microsoft.Storage/storageAccounts" }),
    vault: await owner.keyVault.vaults.checkNameAvailability({ name: "kv-scoped", type: "Microsoft.KeyVault/vaults" }),
    registry: await owner.registry.registries.checkNameAvailability({ name: "crscoped", type: "Microsoft.ContainerRegistry/registries" }),
  };
  void registry;

  const token = (await secretCredential(connection).getToken(connection.armScope))?.token ?? "";
  const storagePath = `${subscription}/resourceGroups/${scopedGroup}/providers/Microsoft.Storage/storageAccounts/sarawtest`;
  const rawAnswers: Record<string, RawAnswer> = {
    unsupportedProviderApiVersion: await raw(connection, token, "GET", `${storagePath}?api-version=2099-01-01`),
    unsupportedResourceGroupApiVersion: await raw(connection, token, "GET", `${subscription}/resourcegroups/${scopedGroup}?api-version=2099-01-01`),
    missingApiVersion: await raw(connection, token, "GET", `${subscription}/resourcegroups/${scopedGroup}`),
    bodyWithoutSku: await raw(connection, token, "PUT", `${storagePath}?api-version=2023-05-01`, { location, kind: "StorageV2" }),
    computeWithoutScaleMaximum: await raw(
      connection,
      token,
      "PUT",
      `${subscription}/resourceGroups/${scopedGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scopedWorkspace}/computes/cpu?api-version=2022-10-01`,
      {
        properties: { computeType: "AmlCompute", properties: { vmSize: "STANDARD_DS3_V2", scaleSettings: { minNodeCount: 0 } } },
      },
    ),
    unknownResourceType: await raw(
      connection,
      token,
      "GET",
      `${subscription}/resourceGroups/${scopedGroup}/providers/Microsoft.Storage/notAType/x?api-version=2023-05-01`,
    ),
    unknownNamespace: await raw(
      connection,
      token,
      "GET",
      `${subscription}/resourceGroups/${scopedGroup}/providers/Microsoft.Nope/things/x?api-version=2023-05-01`,
    ),
    otherSubscription: await raw(connection, token, "GET", `/subscriptions/33333333-3333-3333-3333-333333333333/resourcegroups?api-version=2024-03-01`),
  };

  const limited = armClients(connection, secretCredential(connection, "workspace-scoped"));
  const scopedPrincipal: Record<string, Outcome<unknown>> = {
    createResourceGroup: await outcome(() => limited.resourceGroups.createOrUpdate("rg-new", { location })),
    readOwnResourceGroup: await outcome(() => limited.resourceGroups.get(scopedGroup)),
    readOtherStorage: await outcome(() => limited.storage.storageAccounts.getProperties(scopedGroup, "sascoped")),
    readOwnWorkspace: await outcome(async () => (await limited.machineLearning.workspaces.get(scopedGroup, scopedWorkspace)).provisioningState),
    createComputeInOwnWorkspace: await outcome(
      async () =>
        (
          await limited.machineLearning.computeOperations.beginCreateOrUpdateAndWait(scopedGroup, scopedWorkspace, "cpu-small", {
            location,
            properties: { computeType: "AmlCompute", properties: { vmSize: "STANDARD_DS2_V2", scaleSettings: { minNodeCount: 0, maxNodeCount: 1 } } },
          })
        ).properties?.provisioningState,
    ),
    listDatastoreSecretsInOwnWorkspace: await outcome(async () =>
      Object.keys(await limited.machineLearning.datastores.listSecrets(scopedGroup, scopedWorkspace, "workspaceblobstore")),
    ),
    listResourceGroups: await outcome(async () => {
      const names: string[] = [];
      for await (const group of limited.resourceGroups.list()) names.push(group.name ?? "");
      return names;
    }),
  };

  return { sdk, raw: rawAnswers, scopedPrincipal, nameChecksAfterCreate };
});
