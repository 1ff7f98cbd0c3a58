import { join } from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "./atomicFile";
import { cloneJson, JsonObject } from "./json";

export interface StoredResource {
  /** The id with the casing it was created with; lookups ignore case, as ARM's do. */
  id: string;
  /** "Microsoft.Storage/storageAccounts", "Microsoft.MachineLearningServices/workspaces/computes", … */
  type: string;
  /** What a GET returns. */
  body: JsonObject;
  /** What only list-keys style actions reveal. */
  secrets: JsonObject;
  createdBy: string;
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedAt: string;
}

export type OperationStatus = "InProgress" | "Succeeded" | "Failed" | "Canceled";
export type OperationKind = "create" | "update" | "delete";

export interface OperationRecord {
  id: string;
  resourceId: string;
  kind: OperationKind;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  /** Epoch milliseconds at which the operation finishes. */
  completesAt: number;
  /** Fault injection decided at the start that this one will fail. */
  plannedFailure: boolean;
  error?: { code: string; message: string };
  initiatorObjectId: string;
  subscriptionId: string;
  providerNamespace: string;
  location: string;
  apiVersion: string;
  /** Name of the provider's completion step, looked up again after a restart. */
  completion: string;
}

interface PersistedState {
  resources: StoredResource[];
  operations: OperationRecord[];
}

const keptFinishedOperations = 2000;

/** ARM's state: every resource and long-running operation, saved atomically after each change. */
export class ResourceStore {
  private readonly resources = new Map<string, StoredResource>();
  private readonly operations = new Map<string, OperationRecord>();
  private readonly deletionListeners: ((deleted: StoredResource[]) => void)[] = [];
  private readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, "arm", "state.json");
    const persisted = readJsonIfExists<PersistedState>(this.path);
    for (const resource of persisted?.resources ?? []) this.resources.set(resource.id.toLowerCase(), resource);
    for (const operation of persisted?.operations ?? []) this.operations.set(operation.id, operation);
  }

  private save(): void {
    const finished = [...this.operations.values()].filter((operation) => operation.status !== "InProgress");
    for (const operation of finished.slice(0, Math.max(0, finished.length - keptFinishedOperations))) this.operations.delete(operation.id);
    writeJsonAtomic(this.path, { resources: [...this.resources.values()], operations: [...this.operations.values()] });
  }

  get(id: string): StoredResource | undefined {
    const stored = this.resources.get(id.toLowerCase());
    return stored ? cloneResource(stored) : undefined;
  }

  has(id: string): boolean {
    return this.resources.has(id.toLowerCase());
  }

  put(resource: StoredResource): void {
    this.resources.set(resource.id.toLowerCase(), cloneResource(resource));
    this.save();
  }

  delete(id: string): void {
    const prefix = id.toLowerCase() + "/";
    const deleted: StoredResource[] = [];
    for (const [key, resource] of [...this.resources.entries()]) {
      if (key === id.toLowerCase() || key.startsWith(prefix)) {
        this.resources.delete(key);
        deleted.push(resource);
      }
    }
    this.save();
    for (const listener of this.deletionListeners) listener(deleted.map(cloneResource));
  }

  /**
   * Called with every resource a delete removed (the resource and all under it): services that
   * keep something running for a resource (a deployment's process) end it however it went,
   * directly or with its workspace or resource group.
   */
  onDeleted(listener: (deleted: StoredResource[]) => void): void {
    this.deletionListeners.push(listener);
  }

  list(predicate: (resource: StoredResource) => boolean): StoredResource[] {
    return [...this.resources.values()].filter(predicate).map(cloneResource);
  }

  /** Resources whose id lies under the given id (a resource group, a workspace). */
  under(id: string): StoredResource[] {
    const prefix = id.toLowerCase() + "/";
    return this.list((resource) => resource.id.toLowerCase().startsWith(prefix));
  }

  ofType(type: string): StoredResource[] {
    const wanted = type.toLowerCase();
    return this.list((resource) => resource.type.toLowerCase() === wanted);
  }

  getOperation(id: string): OperationRecord | undefined {
    const operation = this.operations.get(id);
    return operation ? { ...operation } : undefined;
  }

  putOperation(operation: OperationRecord): void {
    this.operations.set(operation.id, { ...operation });
    this.save();
  }

  operationsInProgress(): OperationRecord[] {
    return [...this.operations.values()].filter((operation) => operation.status === "InProgress").map((operation) => ({ ...operation }));
  }

  inProgressOperationFor(resourceId: string): OperationRecord | undefined {
    const wanted = resourceId.toLowerCase();
    const found = [...this.operations.values()].find((operation) => operation.status === "InProgress" && operation.resourceId.toLowerCase() === wanted);
    return found ? { ...found } : undefined;
  }
}

function cloneResource(resource: StoredResource): StoredResource {
  return { ...resource, body: cloneJson(resource.body), secrets: cloneJson(resource.secrets) };
}
