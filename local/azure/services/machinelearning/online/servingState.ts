import { isJsonObject, toJsonValue } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { ServingSource } from "./deploymentReferences";

/** What the local Azure keeps of a deployment beside its ARM body (never returned by ARM). */
export interface ServingState {
  /** Grows with each create or update: the process of the newest revision replaces the one serving. */
  revision: number;
  source: ServingSource;
  /** Its first provisioning failed: Azure then refuses updates until it is deleted and re-created. */
  initialProvisioningFailed?: boolean;
}

export function servingStateOf(deployment: StoredResource): ServingState | undefined {
  const state: unknown = deployment.secrets.serving;
  if (!isJsonObject(state) || typeof state.revision !== "number" || !isJsonObject(state.source)) return undefined;
  return state as unknown as ServingState;
}

export function withServingState(deployment: StoredResource, state: ServingState): StoredResource {
  return { ...deployment, secrets: { ...deployment.secrets, serving: toJsonValue(state) } };
}
