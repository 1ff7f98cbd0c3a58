import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AmlCompute, ComputeUnion } from "@azure/arm-machinelearning";
import { armClients, clientArguments, runClient, secretCredential } from "./clientSupport";

export interface ProvisionReport {
  resourceGroup: { id: string; provisioningState: string | undefined };
  nameChecks: Record<string, boolean | undefined>;
  states: Record<string, string | undefined>;
  ids: Record<string, string>;
  workspace: { discoveryUrl: string | undefined; storageAccount: string | undefined; mlFlowTrackingUri: string | undefined };
  workspaceKeys: string[];
  compute: { allocationState: string | undefined; maxNodeCount: number | undefined };
  datastores: string[];
  /** HEAD on a group and, by id, on resources: ARM's existence checks. */
  existence: Record<string, boolean>;
  defaultDatastore: { url: string; container: string; blobs: string[] };
}

function isAmlCompute(compute: ComputeUnion | undefined): compute is AmlCompute {
  return compute?.computeType === "AmlCompute";
}

/**
 * What AzureMLWorkspace will do, with the SDK clients a task uses: resource group, name checks,
 * storage, key vault, Log Analytics + App Insights through the generic by-id client, registry,
 * workspace, compute; then a real upload to the default datastore. Argument: a name suffix.
 */
runClient(async (connection): Promise<ProvisionReport> => {
  const [suffix = "dev"] = clientArguments();
  const clients = armClients(connection, secretCredential(connection));
  const location = "westeurope";
  const group = `rg-mlops-${suffix}`;
  const groupId = `/subscriptions/${connection.subscriptionId}/resourceGroups/${group}`;
  const names = {
    storage: `samlops${suffix}`,
    vault: `kv-mlops-${suffix}`,
    registry: `crmlops${suffix}`,
    insights: `ai-mlops-${suffix}`,
    logs: `la-mlops-${suffix}`,
    workspace: `aml-mlops-${suffix}`,
  };

  const resourceGroup = await clients.resourceGroups.createOrUpdate(group, { location, tags: { environment: suffix } });
  const nameChecks = {
    storage: (await clients.storage.storageAccounts.checkNameAvailability({ name: names.storage, type: "Microsoft.Storage/storageAccounts" })).nameAvailable,
    vault: (await clients.keyVault.vaults.checkNameAvailability({ name: names.vault, type: "Microsoft.KeyVault/vaults" })).nameAvailable,
    registry: (await clients.registry.registries.checkNameAvailability({ name: names.registry, type: "Microsoft.ContainerRegistry/registries" })).nameAvailable,
  };

  const storage = await clients.storage.storageAccounts.create(group, names.storage, {
    location,
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    allowBlobPublicAccess: false,
    minimumTlsVersion: "TLS1_2",
  });
  const vault = await clients.keyVault.vaults.createOrUpdate(group, names.vault, {
    location,
    properties: { tenantId: connection.tenantId, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, accessPolicies: [] },
  });
  const logs = await clients.resources.beginCreateOrUpdateByIdAndWait(
    `${groupId}/providers/Microsoft.OperationalInsights/workspaces/${names.logs}`,
    "2022-10-01",
    {
      location,
      properties: { sku: { name: "PerGB2018" }, retentionInDays: 30 },
    },
  );
  const insights = await clients.resources.beginCreateOrUpdateByIdAndWait(
    `${groupId}/providers/Microsoft.Insights/components/${names.insights}`,
    "2020-02-02",
    {
      location,
      kind: "web",
      properties: { Application_Type: "web", WorkspaceResourceId: logs.id, IngestionMode: "LogAnalytics" },
    },
  );
  const registry = await clients.registry.registries.create(group, names.registry, { location, sku: { name: "Basic" }, adminUserEnabled: false });
  const workspace = await clients.machineLearning.workspaces.beginCreateOrUpdateAndWait(group, names.workspace, {
    location,
    identity: { type: "SystemAssigned" },
    friendlyName: names.workspace,
    storageAccount: storage.id,
    keyVault: vault.id,
    applicationInsights: insights.id,
    containerRegistry: registry.id,
  });
  const workspaceKeys = Object.keys(await clients.machineLearning.workspaces.listKeys(group, names.workspace));
  const compute = await clients.machineLearning.computeOperations.beginCreateOrUpdateAndWait(group, names.workspace, "cpu-cluster", {
    location,
    properties: {
      computeType: "AmlCompute",
      properties: {
        vmSize: "STANDARD_DS3_V2",
        vmPriority: "Dedicated",
        scaleSettings: { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT120S" },
      },
    },
  });

  const datastores: string[] = [];
  for await (const datastore of clients.machineLearning.datastores.list(group, names.workspace)) datastores.push(datastore.name ?? "");
  const blobStore = await clients.machineLearning.datastores.get(group, names.workspace, "workspaceblobstore");
  const secrets = await clients.machineLearning.datastores.listSecrets(group, names.workspace, "workspaceblobstore");
  const properties = blobStore.properties as { accountName: string; containerName: string; endpoint: string; protocol: string };
  const key = (secrets as { key?: string }).key ?? "";
  // Exactly how Azure ML clients reach a datastore: <protocol>://<account>.blob.<endpoint>.
  const url = `${properties.protocol}://${properties.accountName}.blob.${properties.endpoint}`;
  const container = new BlobServiceClient(url, new StorageSharedKeyCredential(properties.accountName, key)).getContainerClient(properties.containerName);
  await container.getBlockBlobClient(`LocalUpload/${suffix}/train.py`).upload("print('hello')\n", 15);
  const blobs: string[] = [];
  for await (const blob of container.listBlobsFlat()) blobs.push(blob.name);

  const existence = {
    resourceGroup: (await clients.resourceGroups.checkExistence(group)).body,
    logsById: (await clients.resources.checkExistenceById(logs.id ?? "", "2022-10-01")).body,
    missingById: (await clients.resources.checkExistenceById(`${groupId}/providers/Microsoft.OperationalInsights/workspaces/la-missing`, "2022-10-01")).body,
  };
  const computeProperties = isAmlCompute(compute.properties) ? compute.properties.properties : undefined;
  return {
    resourceGroup: { id: resourceGroup.id ?? "", provisioningState: resourceGroup.properties?.provisioningState },
    nameChecks,
    states: {
      storage: storage.provisioningState,
      vault: vault.properties.provisioningState,
      logs: (logs.properties as { provisioningState?: string }).provisioningState,
      insights: (insights.properties as { provisioningState?: string }).provisioningState,
      registry: registry.provisioningState,
      workspace: workspace.provisioningState,
      compute: compute.properties?.provisioningState,
    },
    ids: {
      storage: storage.id ?? "",
      vault: vault.id ?? "",
      logs: logs.id ?? "",
      insights: insights.id ?? "",
      registry: registry.id ?? "",
      workspace: workspace.id ?? "",
    },
    workspace: { discoveryUrl: workspace.discoveryUrl, storageAccount: workspace.storageAccount, mlFlowTrackingUri: workspace.mlFlowTrackingUri },
    workspaceKeys,
    compute: { allocationState: computeProperties?.allocationState, maxNodeCount: computeProperties?.scaleSettings?.maxNodeCount },
    datastores: datastores.sort(),
    existence,
    defaultDatastore: { url, container: properties.containerName, blobs },
  };
});
