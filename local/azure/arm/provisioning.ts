import { OperationRecord, StoredResource } from "../state/resourceStore";
import { ArmServices } from "./armServices";
import { propertiesOf, withProvisioningState } from "./resourceHelpers";
import { jsonText } from "../state/json";

export interface ProvisioningOptions {
  /** Side effects that must happen before the resource is usable (Azurite learning an account, datastores…). */
  beforeSuccess?: (resource: StoredResource, operation: OperationRecord) => Promise<StoredResource>;
  /**
   * What a failed operation leaves, by what the swagger allows: "Failed" where provisioningState
   * has that value; no resource at all where it has not (a storage account that failed to be created
   * does not exist); and nothing to fail where the resource is ready at once (key vault).
   */
  onFailure?: "markFailed" | "remove" | "cannotFail";
}

/** Whether a PUT on this resource must provision it again (it failed before). */
export function needsReprovisioning(resource: StoredResource): boolean {
  return propertiesOf(resource.body).provisioningState === "Failed";
}

/** Create/update completion: the resource moves to Succeeded, or fails as a fault chose. */
export function defineProvisioning(services: ArmServices, name: string, options: ProvisioningOptions = {}): void {
  const { store } = services;
  services.operations.defineCompletion(name, {
    succeed: async (operation) => {
      let resource = store.get(operation.resourceId);
      if (!resource) return;
      if (options.beforeSuccess) resource = await options.beforeSuccess(resource, operation);
      store.put(withProvisioningState(resource, "Succeeded"));
    },
    fail: (operation) => {
      const resource = store.get(operation.resourceId);
      if (resource) {
        switch (options.onFailure ?? "markFailed") {
          case "markFailed":
            store.put(withProvisioningState(resource, "Failed"));
            break;
          case "remove":
            store.delete(resource.id);
            break;
          case "cannotFail":
            store.put(withProvisioningState(resource, "Succeeded"));
            break;
        }
      }
      return Promise.resolve();
    },
  });
}

export interface DeletionOptions {
  beforeDelete?: (resource: StoredResource) => Promise<void>;
}

/** Delete completion: the resource and everything under it go; a failed delete leaves it as it was. */
export function defineDeletion(services: ArmServices, name: string, options: DeletionOptions = {}): void {
  const { store } = services;
  services.operations.defineCompletion(name, {
    succeed: async (operation) => {
      const resource = store.get(operation.resourceId);
      if (!resource) return;
      if (options.beforeDelete) await options.beforeDelete(resource);
      store.delete(operation.resourceId);
    },
    fail: (operation) => {
      const resource = store.get(operation.resourceId);
      if (resource && propertiesOf(resource.body).provisioningState === "Deleting") store.put(withProvisioningState(resource, "Succeeded"));
      return Promise.resolve();
    },
  });
}

/** Resources whose names are global DNS names (storage, key vault, registry): the one with this name, anywhere. */
export function findByGlobalName(services: ArmServices, type: string, name: string): StoredResource | undefined {
  const wanted = name.toLowerCase();
  return services.store.ofType(type).find((resource) => jsonText(resource.body.name).toLowerCase() === wanted);
}
