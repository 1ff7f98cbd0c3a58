import type { TokenCredential } from "@azure/core-auth";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { ResourceManagementClient } from "@azure/arm-resources";
import { StorageManagementClient } from "@azure/arm-storage";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { HttpPipelineOptions } from "../../http/clientOptions";
import { apiVersions } from "../apiVersions";
import { repairJobIoDiscriminators } from "./jobIoDiscriminators";

/** Everything an Azure Resource Manager client needs: who we are, where ARM is, how to reach it. */
export interface ArmClientSetup {
  credential: TokenCredential;
  subscriptionId: string;
  /** ARM endpoint of the connection's cloud, e.g. https://management.azure.com */
  armUrl: string;
  /** Token scopes for ARM, e.g. https://management.core.windows.net//.default */
  scopes: string[];
  /** Proxy, CA and user-agent settings shared by every client. */
  pipeline: HttpPipelineOptions;
}

// Two generations of SDK clients take their endpoint and scopes under different option names.
function coreClientOptions(setup: ArmClientSetup, apiVersion: string) {
  return { ...setup.pipeline, endpoint: setup.armUrl, credentialScopes: setup.scopes, apiVersion };
}

function modularClientOptions(setup: ArmClientSetup, apiVersion: string) {
  return { ...setup.pipeline, endpoint: setup.armUrl, credentials: { scopes: setup.scopes }, apiVersion };
}

export function machineLearningClient(setup: ArmClientSetup): AzureMachineLearningWorkspaces {
  const client = new AzureMachineLearningWorkspaces(setup.credential, setup.subscriptionId, coreClientOptions(setup, apiVersions.machineLearning));
  repairJobIoDiscriminators(client);
  return client;
}

export function resourceClient(setup: ArmClientSetup): ResourceManagementClient {
  return new ResourceManagementClient(setup.credential, setup.subscriptionId, coreClientOptions(setup, apiVersions.resources));
}

/**
 * For the by-id operations, which take the resource type's own api-version per call: a client
 * pinned to one version rewrites every request's api-version to it, so this one is not pinned.
 */
export function genericResourceClient(setup: ArmClientSetup): ResourceManagementClient {
  const options = { ...coreClientOptions(setup, apiVersions.resources), apiVersion: undefined };
  return new ResourceManagementClient(setup.credential, setup.subscriptionId, options);
}

export function storageClient(setup: ArmClientSetup, subscriptionId = setup.subscriptionId): StorageManagementClient {
  return new StorageManagementClient(setup.credential, subscriptionId, modularClientOptions(setup, apiVersions.storage));
}

export function keyVaultClient(setup: ArmClientSetup, subscriptionId = setup.subscriptionId): KeyVaultManagementClient {
  return new KeyVaultManagementClient(setup.credential, subscriptionId, modularClientOptions(setup, apiVersions.keyVault));
}

export function containerRegistryClient(setup: ArmClientSetup, subscriptionId = setup.subscriptionId): ContainerRegistryManagementClient {
  return new ContainerRegistryManagementClient(setup.credential, subscriptionId, modularClientOptions(setup, apiVersions.containerRegistry));
}
