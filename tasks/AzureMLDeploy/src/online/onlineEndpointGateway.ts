import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import type { ServiceError } from "../../../common/src/errors/azureMLFailure";

/** How a long-running operation (an endpoint or deployment PUT, a deletion) is going, as Azure said when last asked. */
export type OperationStatus =
  /** Still running; `retryAfterMs` when Azure said how long to wait before asking again. */
  | { done: false; retryAfterMs?: number }
  /** Ended; `failed` carries Azure's error when it did not succeed (a canceled operation fails with code Canceled). */
  | { done: true; failed?: ServiceError };

/** A long-running operation Azure accepted. */
export interface ProvisioningOperation {
  /** Asks Azure once how the operation is going. */
  poll(): Promise<OperationStatus>;
}

/** A compute of the workspace, as far as an endpoint cares. */
export interface ComputeInfo {
  id: string;
  /** "Kubernetes", "AKS", "AmlCompute", … */
  computeType: string;
  provisioningState?: string;
}

/** The containers of a deployment whose logs can be read (ContainerType). */
export type DeploymentContainer = "InferenceServer" | "StorageInitializer";

/**
 * Every call the task makes to Azure ML about online endpoints (api-version 2022-10-01,
 * `OnlineEndpoints_*`, `OnlineDeployments_*`, and the workspace and compute they live in).
 * Bodies are the swagger's, as `@azure/arm-machinelearning` types them. `AzureOnlineEndpointGateway`
 * makes the calls; task tests use a stateful in-memory twin. Failed calls are
 * AzureOperationErrors that say what was being done; reads answer undefined for 404.
 */
export interface OnlineEndpointGateway {
  /** The workspace's Azure region, where new endpoints and deployments go. */
  workspaceLocation(): Promise<string>;
  getCompute(name: string): Promise<ComputeInfo | undefined>;
  getEndpoint(name: string): Promise<OnlineEndpoint | undefined>;
  /** OnlineEndpoints_CreateOrUpdate (PUT): creates the endpoint, or changes it (traffic, tags) as a whole. */
  beginCreateOrUpdateEndpoint(name: string, body: OnlineEndpoint): Promise<ProvisioningOperation>;
  listDeployments(endpointName: string): Promise<OnlineDeployment[]>;
  getDeployment(endpointName: string, name: string): Promise<OnlineDeployment | undefined>;
  beginCreateOrUpdateDeployment(endpointName: string, name: string, body: OnlineDeployment): Promise<ProvisioningOperation>;
  beginDeleteDeployment(endpointName: string, name: string): Promise<ProvisioningOperation>;
  /** The last `tail` lines of a container's log. */
  getDeploymentLogs(endpointName: string, name: string, container: DeploymentContainer, tail: number): Promise<string>;
  /** The keys of a key-authenticated endpoint (registered with the agent's masker before they are returned). */
  listKeys(endpointName: string): Promise<{ primaryKey?: string; secondaryKey?: string }>;
  /** An Azure ML token for an aml_token endpoint (registered with the agent's masker before it is returned). */
  getToken(endpointName: string): Promise<{ accessToken?: string }>;
}
