import type { AmlCompute, ComputeResource, Workspace } from "@azure/arm-machinelearning";
import type { GenericResource } from "@azure/arm-resources";
import {
  ArmClientSetup,
  containerRegistryClient,
  genericResourceClient,
  keyVaultClient,
  machineLearningClient,
  resourceClient,
  storageClient,
} from "../../../common/src/azure/clients/armClients";
import { apiVersions } from "../../../common/src/azure/apiVersions";
import { isoDurationToSeconds, secondsToIsoDuration } from "../../../common/src/azure/isoDuration";
import { unlessNotFound } from "../../../common/src/errors/azureError";
import { ResourceReference } from "../../../common/src/settings/resourceReference";
import { ComputeClusterSpec } from "../settings/computeClusters";
import { DependencyKind } from "../settings/workspaceSettings";
import {
  ComputeScale,
  ComputeState,
  DependencyRequest,
  FoundResource,
  GloballyNamedKind,
  NameAvailability,
  WorkspaceGateway,
  WorkspaceRequest,
  WorkspaceState,
} from "./workspaceGateway";

interface ArmShape {
  id?: string;
  name?: string;
  location?: string;
}

function found(resource: ArmShape, fallback: { id: string; name: string }, provisioningState?: string): FoundResource {
  return { id: resource.id ?? fallback.id, name: resource.name ?? fallback.name, location: resource.location ?? "", provisioningState };
}

/** Generic resources and resource groups keep it in their untyped properties bag. */
function genericProvisioningState(properties: unknown): string | undefined {
  const state = properties && typeof properties === "object" ? (properties as { provisioningState?: unknown }).provisioningState : undefined;
  return typeof state === "string" ? state : undefined;
}

function toWorkspaceState(workspace: Workspace, fallback: { id: string; name: string }): WorkspaceState {
  return {
    ...found(workspace, fallback, workspace.provisioningState),
    description: workspace.description,
    tags: workspace.tags ?? {},
    storageAccount: workspace.storageAccount,
    keyVault: workspace.keyVault,
    applicationInsights: workspace.applicationInsights,
    containerRegistry: workspace.containerRegistry,
    discoveryUrl: workspace.discoveryUrl,
  };
}

function toComputeState(compute: ComputeResource, fallbackId: string, name: string): ComputeState {
  const properties = compute.properties;
  const state: ComputeState = { id: compute.id ?? fallbackId, name: compute.name ?? name, provisioningState: properties?.provisioningState };
  if (properties?.computeType === "AmlCompute") {
    // The SDK's union keeps a catch-all member, so the discriminant does not narrow by itself.
    const cluster = (properties as AmlCompute).properties;
    state.size = cluster?.vmSize;
    state.tier = cluster?.vmPriority === "LowPriority" ? "low_priority" : cluster?.vmPriority === "Dedicated" ? "dedicated" : undefined;
    state.minInstances = cluster?.scaleSettings?.minNodeCount ?? 0;
    state.maxInstances = cluster?.scaleSettings?.maxNodeCount;
    state.idleSecondsBeforeScaleDown = isoDurationToSeconds(cluster?.scaleSettings?.nodeIdleTimeBeforeScaleDown);
  }
  return state;
}

/** The workspace task's Azure calls, made with the Azure SDKs at the pinned api-versions. */
export class AzureWorkspaceGateway implements WorkspaceGateway {
  private readonly resources;
  private readonly genericResources;
  private readonly machineLearning;

  constructor(private readonly setup: ArmClientSetup) {
    this.resources = resourceClient(setup);
    this.genericResources = genericResourceClient(setup);
    this.machineLearning = machineLearningClient(setup);
  }

  private groupId(name: string): string {
    return `/subscriptions/${this.setup.subscriptionId}/resourceGroups/${name}`;
  }

  async getResourceGroup(name: string): Promise<FoundResource | undefined> {
    const group = await unlessNotFound(() => this.resources.resourceGroups.get(name));
    return group && found(group, { id: this.groupId(name), name }, group.properties?.provisioningState);
  }

  async createResourceGroup(name: string, location: string, tags: Record<string, string>): Promise<FoundResource> {
    const group = await this.resources.resourceGroups.createOrUpdate(name, { location, tags });
    return found(group, { id: this.groupId(name), name });
  }

  async getDependency(kind: DependencyKind, resource: ResourceReference): Promise<FoundResource | undefined> {
    const fallback = { id: resource.id, name: resource.name };
    const { resourceGroup, name, subscriptionId } = resource;
    switch (kind) {
      case "storageAccount": {
        const account = await unlessNotFound(() => storageClient(this.setup, subscriptionId).storageAccounts.getProperties(resourceGroup, name));
        return account && found(account, fallback, account.provisioningState);
      }
      case "keyVault": {
        const vault = await unlessNotFound(() => keyVaultClient(this.setup, subscriptionId).vaults.get(resourceGroup, name));
        return vault && found(vault, fallback, vault.properties.provisioningState);
      }
      case "containerRegistry": {
        const registry = await unlessNotFound(() => containerRegistryClient(this.setup, subscriptionId).registries.get(resourceGroup, name));
        return registry && found(registry, fallback, registry.provisioningState);
      }
      case "logAnalyticsWorkspace":
      case "applicationInsights": {
        const generic = await unlessNotFound(() => this.genericResources.resources.getById(resource.id, genericApiVersion[kind]));
        return generic && found(generic, fallback, genericProvisioningState(generic.properties));
      }
    }
  }

  async checkNameAvailability(kind: GloballyNamedKind, name: string): Promise<NameAvailability> {
    switch (kind) {
      case "storageAccount": {
        const result = await storageClient(this.setup).storageAccounts.checkNameAvailability({ name, type: "Microsoft.Storage/storageAccounts" });
        return { available: result.nameAvailable === true, reason: result.reason, message: result.message };
      }
      case "keyVault": {
        const result = await keyVaultClient(this.setup).vaults.checkNameAvailability({ name, type: "Microsoft.KeyVault/vaults" });
        return { available: result.nameAvailable === true, reason: result.reason, message: result.message };
      }
      case "containerRegistry": {
        const result = await containerRegistryClient(this.setup).registries.checkNameAvailability({ name, type: "Microsoft.ContainerRegistry/registries" });
        return { available: result.nameAvailable === true, reason: result.reason, message: result.message };
      }
    }
  }

  async createDependency(kind: DependencyKind, resource: ResourceReference, request: DependencyRequest): Promise<FoundResource> {
    const fallback = { id: resource.id, name: resource.name };
    const { resourceGroup, name, subscriptionId } = resource;
    const { location, tags } = request;
    switch (kind) {
      case "storageAccount": {
        const account = await storageClient(this.setup, subscriptionId).storageAccounts.create(resourceGroup, name, {
          location,
          tags,
          kind: "StorageV2",
          sku: { name: request.sku ?? "Standard_LRS" },
          enableHttpsTrafficOnly: true,
          minimumTlsVersion: "TLS1_2",
          allowBlobPublicAccess: false,
        });
        return found(account, fallback);
      }
      case "keyVault": {
        if (!request.tenantId) throw new Error("A key vault needs the tenant id of the service connection.");
        const vault = await keyVaultClient(this.setup, subscriptionId).vaults.createOrUpdate(resourceGroup, name, {
          location,
          tags,
          properties: {
            tenantId: request.tenantId,
            sku: { family: "A", name: "standard" },
            // Access is granted through Azure RBAC, so no access policy names anyone.
            enableRbacAuthorization: true,
            accessPolicies: [],
          },
        });
        return found(vault, fallback);
      }
      case "containerRegistry": {
        const registry = await containerRegistryClient(this.setup, subscriptionId).registries.create(resourceGroup, name, {
          location,
          tags,
          sku: { name: request.sku ?? "Basic" },
          adminUserEnabled: false,
        });
        return found(registry, fallback);
      }
      case "logAnalyticsWorkspace":
      case "applicationInsights": {
        const body: GenericResource =
          kind === "logAnalyticsWorkspace"
            ? { location, tags, properties: { sku: { name: "PerGB2018" }, retentionInDays: 30 } }
            : {
                location,
                tags,
                kind: "web",
                properties: { Application_Type: "web", WorkspaceResourceId: request.logAnalyticsWorkspaceId, IngestionMode: "LogAnalytics" },
              };
        const generic = await this.genericResources.resources.beginCreateOrUpdateByIdAndWait(resource.id, genericApiVersion[kind], body);
        return found(generic, fallback);
      }
    }
  }

  private workspaceFallback(resourceGroup: string, name: string) {
    return { id: `${this.groupId(resourceGroup)}/providers/Microsoft.MachineLearningServices/workspaces/${name}`, name };
  }

  async getWorkspace(resourceGroup: string, name: string): Promise<WorkspaceState | undefined> {
    const workspace = await unlessNotFound(() => this.machineLearning.workspaces.get(resourceGroup, name));
    return workspace && toWorkspaceState(workspace, this.workspaceFallback(resourceGroup, name));
  }

  async createWorkspace(resourceGroup: string, name: string, request: WorkspaceRequest): Promise<WorkspaceState> {
    const workspace = await this.machineLearning.workspaces.beginCreateOrUpdateAndWait(resourceGroup, name, {
      location: request.location,
      tags: request.tags,
      description: request.description,
      friendlyName: name,
      identity: { type: "SystemAssigned" },
      sku: { name: "Basic", tier: "Basic" },
      storageAccount: request.storageAccount,
      keyVault: request.keyVault,
      applicationInsights: request.applicationInsights,
      containerRegistry: request.containerRegistry,
    });
    return toWorkspaceState(workspace, this.workspaceFallback(resourceGroup, name));
  }

  async updateWorkspace(resourceGroup: string, name: string, change: { description?: string; tags: Record<string, string> }): Promise<WorkspaceState> {
    const workspace = await this.machineLearning.workspaces.beginUpdateAndWait(resourceGroup, name, change);
    return toWorkspaceState(workspace, this.workspaceFallback(resourceGroup, name));
  }

  private computeId(resourceGroup: string, workspace: string, name: string): string {
    return `${this.workspaceFallback(resourceGroup, workspace).id}/computes/${name}`;
  }

  async getCompute(resourceGroup: string, workspace: string, name: string): Promise<ComputeState | undefined> {
    const compute = await unlessNotFound(() => this.machineLearning.computeOperations.get(resourceGroup, workspace, name));
    return compute && toComputeState(compute, this.computeId(resourceGroup, workspace, name), name);
  }

  async createCompute(
    resourceGroup: string,
    workspace: string,
    spec: ComputeClusterSpec,
    location: string,
    tags: Record<string, string>,
  ): Promise<ComputeState> {
    const compute = await this.machineLearning.computeOperations.beginCreateOrUpdateAndWait(resourceGroup, workspace, spec.name, {
      location,
      tags,
      properties: {
        computeType: "AmlCompute",
        description: spec.description,
        properties: {
          vmSize: spec.size,
          vmPriority: spec.tier === "low_priority" ? "LowPriority" : "Dedicated",
          scaleSettings: {
            minNodeCount: spec.minInstances,
            maxNodeCount: spec.maxInstances,
            nodeIdleTimeBeforeScaleDown: secondsToIsoDuration(spec.idleSecondsBeforeScaleDown),
          },
        },
      },
    });
    return toComputeState(compute, this.computeId(resourceGroup, workspace, spec.name), spec.name);
  }

  async updateComputeScale(resourceGroup: string, workspace: string, name: string, scale: ComputeScale): Promise<ComputeState> {
    const compute = await this.machineLearning.computeOperations.beginUpdateAndWait(resourceGroup, workspace, name, {
      properties: {
        scaleSettings: {
          minNodeCount: scale.minInstances,
          maxNodeCount: scale.maxInstances,
          nodeIdleTimeBeforeScaleDown: secondsToIsoDuration(scale.idleSecondsBeforeScaleDown),
        },
      },
    });
    return toComputeState(compute, this.computeId(resourceGroup, workspace, name), name);
  }
}

const genericApiVersion = {
  logAnalyticsWorkspace: apiVersions.logAnalytics,
  applicationInsights: apiVersions.applicationInsights,
} as const;
