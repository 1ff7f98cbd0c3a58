import { ResourceStore } from "../state/resourceStore";
import { JsonObject } from "../state/json";

const typesCarryingEndpoints = ["microsoft.storage/storageaccounts", "microsoft.machinelearningservices/workspaces/datastores"];

/**
 * Azurite normally keeps its port across restarts; when that port was taken, the endpoints stored
 * in storage accounts and datastores move with it (as DNS would move them in Azure).
 */
export function relocateStorageEndpoints(store: ResourceStore, previousSuffix: string, currentSuffix: string): number {
  if (previousSuffix === currentSuffix) return 0;
  let moved = 0;
  for (const resource of store.list((candidate) => typesCarryingEndpoints.includes(candidate.type.toLowerCase()))) {
    const text = JSON.stringify(resource.body);
    if (!text.includes(previousSuffix)) continue;
    store.put({ ...resource, body: JSON.parse(text.split(previousSuffix).join(currentSuffix)) as JsonObject });
    moved++;
  }
  return moved;
}
