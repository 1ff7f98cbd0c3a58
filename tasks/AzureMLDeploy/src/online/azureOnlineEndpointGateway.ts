import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import { maskSecret } from "../../../common/src/auth/secretMasking";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../common/src/azure/clients/machineLearningControlPlane";
import { AzureOperationError, describing, isNotFound, unlessNotFound } from "../../../common/src/errors/azureError";
import type { ServiceError } from "../../../common/src/errors/azureMLFailure";
import type { ComputeInfo, DeploymentContainer, OnlineEndpointGateway, OperationStatus, ProvisioningOperation } from "./onlineEndpointGateway";

/** What the SDK's long-running-operation poller (core-lro 2, LroEngine) offers; only this much is used. */
interface SdkPoller {
  poll(): Promise<void>;
  isDone(): boolean;
  getOperationState(): { error?: Error; isCancelled?: boolean };
}

// core-lro's sentence for an operation whose status is Failed: "…has failed. <code>. <message>".
const failedOperation = /^The long-running operation has failed(?:\. ([^.\s]+)\. ([\s\S]*))?$/;

/** Azure's error of a failed operation, from what core-lro made of the status body; undefined for any other error. */
export function operationFailure(error: unknown): ServiceError | undefined {
  const message = error instanceof Error ? error.message : undefined;
  const match = message === undefined ? null : failedOperation.exec(message);
  if (match === null) return undefined;
  return match[1] === undefined ? {} : { code: match[1], message: match[2] };
}

/** An operation followed through the SDK's poller: each `poll` is one GET of the operation's status. */
class PolledOperation implements ProvisioningOperation {
  constructor(
    private readonly poller: SdkPoller,
    private readonly action: string,
  ) {}

  async poll(): Promise<OperationStatus> {
    if (!this.poller.isDone()) {
      try {
        await this.poller.poll();
      } catch (error) {
        const failed = operationFailure(error);
        if (failed) return { done: true, failed };
        if (this.poller.getOperationState().isCancelled) return { done: true, failed: { code: "Canceled", message: "The operation was canceled." } };
        throw new AzureOperationError(this.action, error);
      }
    }
    if (!this.poller.isDone()) return { done: false };
    const state = this.poller.getOperationState();
    if (state.isCancelled) return { done: true, failed: { code: "Canceled", message: "The operation was canceled." } };
    if (state.error) return { done: true, failed: operationFailure(state.error) ?? { message: state.error.message } };
    return { done: true };
  }
}

/** OnlineEndpointGateway on Azure ML's control plane, api-version 2022-10-01. */
export class AzureOnlineEndpointGateway implements OnlineEndpointGateway {
  private readonly controlPlane: MachineLearningControlPlane;

  constructor(
    session: AzureSession,
    private readonly workspace: WorkspaceScope,
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
  }

  private get scope(): [string, string] {
    return [this.workspace.resourceGroup, this.workspace.name];
  }

  private get client() {
    return this.controlPlane.client;
  }

  workspaceLocation(): Promise<string> {
    return describing(`Reading workspace '${this.workspace.name}'`, async () => {
      const workspace = await this.client.workspaces.get(...this.scope);
      if (!workspace.location) throw new Error(`Workspace '${this.workspace.name}' has no location.`);
      return workspace.location;
    });
  }

  getCompute(name: string): Promise<ComputeInfo | undefined> {
    return describing(`Reading compute '${name}'`, async () => {
      const compute = await unlessNotFound(() => this.client.computeOperations.get(...this.scope, name));
      if (!compute) return undefined;
      return {
        id: compute.id ?? "",
        computeType: compute.properties?.computeType ?? "unknown",
        ...(compute.properties?.provisioningState ? { provisioningState: compute.properties.provisioningState } : {}),
      };
    });
  }

  getEndpoint(name: string): Promise<OnlineEndpoint | undefined> {
    return describing(`Reading online endpoint '${name}'`, () => unlessNotFound(() => this.client.onlineEndpoints.get(...this.scope, name)));
  }

  async beginCreateOrUpdateEndpoint(name: string, body: OnlineEndpoint): Promise<ProvisioningOperation> {
    const action = `Creating or updating online endpoint '${name}'`;
    const poller = await describing(action, () => this.client.onlineEndpoints.beginCreateOrUpdate(...this.scope, name, body));
    return new PolledOperation(poller, action);
  }

  listDeployments(endpointName: string): Promise<OnlineDeployment[]> {
    return describing(`Listing the deployments of online endpoint '${endpointName}'`, async () => {
      const deployments: OnlineDeployment[] = [];
      try {
        for await (const deployment of this.client.onlineDeployments.list(...this.scope, endpointName)) deployments.push(deployment);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return deployments;
    });
  }

  getDeployment(endpointName: string, name: string): Promise<OnlineDeployment | undefined> {
    return describing(`Reading deployment '${name}' of online endpoint '${endpointName}'`, () =>
      unlessNotFound(() => this.client.onlineDeployments.get(...this.scope, endpointName, name)),
    );
  }

  async beginCreateOrUpdateDeployment(endpointName: string, name: string, body: OnlineDeployment): Promise<ProvisioningOperation> {
    const action = `Creating or updating deployment '${name}' of online endpoint '${endpointName}'`;
    const poller = await describing(action, () => this.client.onlineDeployments.beginCreateOrUpdate(...this.scope, endpointName, name, body));
    return new PolledOperation(poller, action);
  }

  async beginDeleteDeployment(endpointName: string, name: string): Promise<ProvisioningOperation> {
    const action = `Deleting deployment '${name}' of online endpoint '${endpointName}'`;
    const poller = await describing(action, () => this.client.onlineDeployments.beginDelete(...this.scope, endpointName, name));
    return new PolledOperation(poller, action);
  }

  getDeploymentLogs(endpointName: string, name: string, container: DeploymentContainer, tail: number): Promise<string> {
    return describing(`Reading the ${container} log of deployment '${name}'`, async () => {
      const logs = await this.client.onlineDeployments.getLogs(...this.scope, endpointName, name, { containerType: container, tail });
      return logs.content ?? "";
    });
  }

  listKeys(endpointName: string): Promise<{ primaryKey?: string; secondaryKey?: string }> {
    return describing(`Reading the keys of online endpoint '${endpointName}'`, async () => {
      const keys = await this.client.onlineEndpoints.listKeys(...this.scope, endpointName);
      maskSecret(keys.primaryKey);
      maskSecret(keys.secondaryKey);
      return { ...(keys.primaryKey ? { primaryKey: keys.primaryKey } : {}), ...(keys.secondaryKey ? { secondaryKey: keys.secondaryKey } : {}) };
    });
  }

  getToken(endpointName: string): Promise<{ accessToken?: string }> {
    return describing(`Getting an Azure ML token for online endpoint '${endpointName}'`, async () => {
      const token = await this.client.onlineEndpoints.getToken(...this.scope, endpointName);
      maskSecret(token.accessToken);
      return token.accessToken ? { accessToken: token.accessToken } : {};
    });
  }
}
