import { ResourceReference } from "../../../common/src/settings/resourceReference";
import { ComputeClusterSpec } from "../settings/computeClusters";
import { DependencyKind } from "../settings/workspaceSettings";

/**
 * The Azure calls the workspace task makes, and nothing else. The task's logic talks to this
 * interface; `azureWorkspaceGateway.ts` implements it with the Azure SDKs, and task tests
 * replace it with an in-memory Azure.
 */
export interface FoundResource {
  id: string;
  name: string;
  location: string;
  /** ARM's properties.provisioningState: Succeeded, Failed, Canceled, or an operation still running (Creating…). */
  provisioningState?: string;
}

export interface NameAvailability {
  available: boolean;
  /** Azure's reason, e.g. AlreadyExists / Invalid. */
  reason?: string;
  message?: string;
}

export type GloballyNamedKind = Extract<DependencyKind, "storageAccount" | "keyVault" | "containerRegistry">;
export const globallyNamedKinds: readonly GloballyNamedKind[] = ["storageAccount", "keyVault", "containerRegistry"];

export interface DependencyRequest {
  location: string;
  tags: Record<string, string>;
  /** Storage or registry SKU. */
  sku?: string;
  /** Key vault: the tenant whose principals may use it. */
  tenantId?: string;
  /** Application Insights: the Log Analytics workspace it writes to. */
  logAnalyticsWorkspaceId?: string;
}

export interface WorkspaceState extends FoundResource {
  description?: string;
  tags: Record<string, string>;
  storageAccount?: string;
  keyVault?: string;
  applicationInsights?: string;
  containerRegistry?: string;
  discoveryUrl?: string;
}

export interface WorkspaceRequest {
  location: string;
  description?: string;
  tags: Record<string, string>;
  storageAccount: string;
  keyVault: string;
  applicationInsights: string;
  containerRegistry: string;
}

export interface ComputeState {
  id: string;
  name: string;
  size?: string;
  tier?: ComputeClusterSpec["tier"];
  minInstances?: number;
  maxInstances?: number;
  idleSecondsBeforeScaleDown?: number;
  provisioningState?: string;
}

export interface ComputeScale {
  minInstances: number;
  maxInstances: number;
  idleSecondsBeforeScaleDown: number;
}

export interface WorkspaceGateway {
  getResourceGroup(name: string): Promise<FoundResource | undefined>;
  createResourceGroup(name: string, location: string, tags: Record<string, string>): Promise<FoundResource>;

  getDependency(kind: DependencyKind, resource: ResourceReference): Promise<FoundResource | undefined>;
  checkNameAvailability(kind: GloballyNamedKind, name: string): Promise<NameAvailability>;
  createDependency(kind: DependencyKind, resource: ResourceReference, request: DependencyRequest): Promise<FoundResource>;

  getWorkspace(resourceGroup: string, name: string): Promise<WorkspaceState | undefined>;
  createWorkspace(resourceGroup: string, name: string, request: WorkspaceRequest): Promise<WorkspaceState>;
  updateWorkspace(resourceGroup: string, name: string, change: { description?: string; tags: Record<string, string> }): Promise<WorkspaceState>;

  getCompute(resourceGroup: string, workspace: string, name: string): Promise<ComputeState | undefined>;
  createCompute(resourceGroup: string, workspace: string, spec: ComputeClusterSpec, location: string, tags: Record<string, string>): Promise<ComputeState>;
  updateComputeScale(resourceGroup: string, workspace: string, name: string, scale: ComputeScale): Promise<ComputeState>;
}
