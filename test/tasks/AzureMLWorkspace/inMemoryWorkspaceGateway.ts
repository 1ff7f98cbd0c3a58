import * as fs from "node:fs";
import { ResourceReference } from "../../../tasks/common/src/settings/resourceReference";
import { ComputeClusterSpec } from "../../../tasks/AzureMLWorkspace/src/settings/computeClusters";
import { DependencyKind } from "../../../tasks/AzureMLWorkspace/src/settings/workspaceSettings";
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
} from "../../../tasks/AzureMLWorkspace/src/provisioning/workspaceGateway";

/**
 * An Azure kept in a JSON file, for task tests that run the task in a child process with
 * MockTestRunner: it stands in for AzureWorkspaceGateway, keeps state across runs (so a re-run
 * sees what the first run made) and records every call, so a test can say "nothing was changed"
 * or "no call was made". It holds to Azure's rules the task relies on: names taken elsewhere
 * are unavailable, a missing resource group makes creation fail, a PUT provisions a resource
 * left Failed again. Operations someone else started (`running`) and refusals (`faults`) are
 * written into the state by a test.
 */
export interface InMemoryAzureState {
  subscriptionId: string;
  resourceGroups: Record<string, { location: string; tags: Record<string, string>; provisioningState?: string }>;
  resources: Record<string, { kind: DependencyKind; name: string; location: string; request: DependencyRequest; provisioningState?: string }>;
  workspaces: Record<string, WorkspaceState>;
  computes: Record<string, ComputeState & { location: string }>;
  /** Globally unique names already used by someone else, per kind. */
  takenNames: Partial<Record<GloballyNamedKind, string[]>>;
  /**
   * Operations another client started, by the target of the read that sees them (resource id,
   * workspace name, compute name, group name, lower case): the resource ends in state `then`
   * (or is gone, when `then` is "deleted") once it has been read `reads` more times.
   */
  running?: Record<string, { reads: number; then: string }>;
  /** Calls Azure refuses, `times` times, with this error (e.g. 409 AnotherOperationInProgress). */
  faults?: Array<{ operation: string; target: string; times: number; error: { statusCode: number; code: string; message: string } }>;
  calls: Array<{ operation: string; target: string }>;
}

export const stateFileVariable = "IN_MEMORY_AZURE_STATE";

export function emptyState(subscriptionId: string): InMemoryAzureState {
  return { subscriptionId, resourceGroups: {}, resources: {}, workspaces: {}, computes: {}, takenNames: {}, calls: [] };
}

export function readState(file: string): InMemoryAzureState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryAzureState;
}

export const mutatingOperations = new Set([
  "createResourceGroup",
  "createDependency",
  "createWorkspace",
  "updateWorkspace",
  "createCompute",
  "updateComputeScale",
]);

function notFound(what: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(`Resource group '${what}' could not be found.`), { statusCode: 404, code: "ResourceGroupNotFound" });
}

export class InMemoryWorkspaceGateway implements WorkspaceGateway {
  private readonly file: string;

  constructor() {
    const file = process.env[stateFileVariable];
    if (!file) throw new Error(`${stateFileVariable} is not set`);
    this.file = file;
  }

  private change<T>(operation: string, target: string, apply: (state: InMemoryAzureState) => T): Promise<T> {
    const state = readState(this.file);
    state.calls.push({ operation, target });
    const fault = state.faults?.find(
      (candidate) => candidate.operation === operation && candidate.target.toLowerCase() === target.toLowerCase() && candidate.times > 0,
    );
    let result: T | undefined;
    let failure: Error | undefined;
    if (fault) {
      fault.times--;
      failure = Object.assign(new Error(fault.error.message), { statusCode: fault.error.statusCode, code: fault.error.code });
    } else {
      result = apply(state);
    }
    fs.writeFileSync(this.file, JSON.stringify(state, null, 2));
    return failure ? Promise.reject(failure) : Promise.resolve(result as T);
  }

  /**
   * What a read sees of a resource another operation is working on: its state as stored until
   * the operation's last read, then what the operation left (`remove` takes a deleted one away).
   */
  private observe<R extends { provisioningState?: string }>(
    state: InMemoryAzureState,
    target: string,
    resource: R | undefined,
    remove: () => void,
  ): R | undefined {
    const key = target.toLowerCase();
    const operation = state.running?.[key];
    if (!operation || !resource) return resource;
    operation.reads--;
    if (operation.reads > 0) return resource;
    delete state.running?.[key];
    if (operation.then === "deleted") {
      remove();
      return undefined;
    }
    resource.provisioningState = operation.then;
    return resource;
  }

  private groupId(state: InMemoryAzureState, name: string): string {
    return `/subscriptions/${state.subscriptionId}/resourceGroups/${name}`;
  }

  private requireGroup(state: InMemoryAzureState, name: string): void {
    if (!state.resourceGroups[name]) throw notFound(name);
  }

  getResourceGroup(name: string): Promise<FoundResource | undefined> {
    return this.change("getResourceGroup", name, (state) => {
      const group = this.observe(state, name, state.resourceGroups[name], () => delete state.resourceGroups[name]);
      return group && { id: this.groupId(state, name), name, location: group.location, provisioningState: group.provisioningState };
    });
  }

  createResourceGroup(name: string, location: string, tags: Record<string, string>): Promise<FoundResource> {
    return this.change("createResourceGroup", name, (state) => {
      state.resourceGroups[name] = { location, tags, provisioningState: "Succeeded" };
      return { id: this.groupId(state, name), name, location };
    });
  }

  getDependency(kind: DependencyKind, resource: ResourceReference): Promise<FoundResource | undefined> {
    return this.change("getDependency", resource.id, (state) => {
      const key = resource.id.toLowerCase();
      const found = this.observe(state, resource.id, state.resources[key], () => delete state.resources[key]);
      return found && found.kind === kind
        ? { id: resource.id, name: found.name, location: found.location, provisioningState: found.provisioningState }
        : undefined;
    });
  }

  checkNameAvailability(kind: GloballyNamedKind, name: string): Promise<NameAvailability> {
    return this.change("checkNameAvailability", `${kind}/${name}`, (state) => {
      const ours = Object.values(state.resources).some((r) => r.kind === kind && r.name.toLowerCase() === name.toLowerCase());
      const taken = ours || (state.takenNames[kind] ?? []).includes(name);
      return taken ? { available: false, reason: "AlreadyExists", message: `The name '${name}' is already taken.` } : { available: true };
    });
  }

  createDependency(kind: DependencyKind, resource: ResourceReference, request: DependencyRequest): Promise<FoundResource> {
    return this.change("createDependency", resource.id, (state) => {
      this.requireGroup(state, resource.resourceGroup);
      state.resources[resource.id.toLowerCase()] = { kind, name: resource.name, location: request.location, request, provisioningState: "Succeeded" };
      return { id: resource.id, name: resource.name, location: request.location, provisioningState: "Succeeded" };
    });
  }

  private workspaceKey(resourceGroup: string, name: string): string {
    return `${resourceGroup}/${name}`.toLowerCase();
  }

  getWorkspace(resourceGroup: string, name: string): Promise<WorkspaceState | undefined> {
    return this.change("getWorkspace", name, (state) => {
      const key = this.workspaceKey(resourceGroup, name);
      return this.observe(state, name, state.workspaces[key], () => delete state.workspaces[key]);
    });
  }

  createWorkspace(resourceGroup: string, name: string, request: WorkspaceRequest): Promise<WorkspaceState> {
    return this.change("createWorkspace", name, (state) => {
      this.requireGroup(state, resourceGroup);
      const workspace: WorkspaceState = {
        id: `${this.groupId(state, resourceGroup)}/providers/Microsoft.MachineLearningServices/workspaces/${name}`,
        name,
        location: request.location,
        description: request.description,
        tags: request.tags,
        storageAccount: request.storageAccount,
        keyVault: request.keyVault,
        applicationInsights: request.applicationInsights,
        containerRegistry: request.containerRegistry,
        discoveryUrl: `https://${request.location}.api.azureml.ms/discovery`,
        provisioningState: "Succeeded",
      };
      state.workspaces[this.workspaceKey(resourceGroup, name)] = workspace;
      return workspace;
    });
  }

  updateWorkspace(resourceGroup: string, name: string, change: { description?: string; tags: Record<string, string> }): Promise<WorkspaceState> {
    return this.change("updateWorkspace", name, (state) => {
      const workspace = state.workspaces[this.workspaceKey(resourceGroup, name)];
      if (change.description !== undefined) workspace.description = change.description;
      workspace.tags = change.tags;
      return workspace;
    });
  }

  getCompute(resourceGroup: string, workspace: string, name: string): Promise<ComputeState | undefined> {
    return this.change("getCompute", name, (state) => {
      const key = `${this.workspaceKey(resourceGroup, workspace)}/${name}`.toLowerCase();
      return this.observe(state, name, state.computes[key], () => delete state.computes[key]);
    });
  }

  createCompute(resourceGroup: string, workspace: string, spec: ComputeClusterSpec, location: string): Promise<ComputeState> {
    return this.change("createCompute", spec.name, (state) => {
      const parent = state.workspaces[this.workspaceKey(resourceGroup, workspace)];
      const compute = {
        id: `${parent.id}/computes/${spec.name}`,
        name: spec.name,
        size: spec.size,
        tier: spec.tier,
        minInstances: spec.minInstances,
        maxInstances: spec.maxInstances,
        idleSecondsBeforeScaleDown: spec.idleSecondsBeforeScaleDown,
        provisioningState: "Succeeded",
        location,
      };
      state.computes[`${this.workspaceKey(resourceGroup, workspace)}/${spec.name}`.toLowerCase()] = compute;
      return compute;
    });
  }

  updateComputeScale(resourceGroup: string, workspace: string, name: string, scale: ComputeScale): Promise<ComputeState> {
    return this.change("updateComputeScale", name, (state) => {
      const compute = state.computes[`${this.workspaceKey(resourceGroup, workspace)}/${name}`.toLowerCase()];
      Object.assign(compute, scale);
      return compute;
    });
  }
}
