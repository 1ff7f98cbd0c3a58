import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureMachineLearningWorkspaces, OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import type { TokenCredential } from "@azure/identity";
import { containerUploadTarget, snapshotPath, uploadSnapshot } from "../../../tasks/common/src/upload";
import type { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { armClients, secretCredential } from "./clientSupport";

export const projectRoot = path.join(__dirname, "..", "..", "..", "..");
/** Microsoft's sample: azureml-examples cli/endpoints/online/model-1. */
export const modelOneFolder = path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online", "model-1");
/** Scoring scripts that fail in init() or on demand in run(). */
export const onlineFixtures = path.join(projectRoot, "test", "fixtures", "online");

/** Long-running operations are polled quickly; the local Azure's Retry-After still decides. */
export const lro = { updateIntervalInMs: 250 };

export interface OnlineWorkspace {
  ml: AzureMachineLearningWorkspaces;
  /** The subscription principal's credential (for Entra tokens of AADToken endpoints). */
  credential: TokenCredential;
  group: string;
  workspace: string;
  workspaceId: string;
  location: string;
}

export function onlineWorkspace(connection: LocalAzureConnection, suffix: string): OnlineWorkspace {
  const group = `rg-mlops-${suffix}`;
  const workspace = `aml-mlops-${suffix}`;
  const credential = secretCredential(connection);
  return {
    ml: armClients(connection, credential).machineLearning,
    credential,
    group,
    workspace,
    workspaceId: `/subscriptions/${connection.subscriptionId}/resourceGroups/${group}/providers/Microsoft.MachineLearningServices/workspaces/${workspace}`,
    location: "westeurope",
  };
}

/** Uploads a local file or folder to the default datastore as azure-ai-ml does (LocalUpload/<hash>/<name>). */
async function upload(target: OnlineWorkspace, localPath: string, assetName: string): Promise<string> {
  const { ml, group, workspace } = target;
  const datastore = await ml.datastores.get(group, workspace, "workspaceblobstore");
  const secrets = (await ml.datastores.listSecrets(group, workspace, "workspaceblobstore")) as { key?: string };
  const properties = datastore.properties as { accountName: string; containerName: string; endpoint: string; protocol: string };
  const url = `${properties.protocol}://${properties.accountName}.blob.${properties.endpoint}`;
  const container = new BlobServiceClient(url, new StorageSharedKeyCredential(properties.accountName, secrets.key ?? "")).getContainerClient(
    properties.containerName,
  );
  const snapshot = await snapshotPath(localPath, assetName);
  const uploaded = await uploadSnapshot(containerUploadTarget(container), snapshot, { assetName, assetVersion: "1" });
  return `azureml://datastores/workspaceblobstore/paths/${uploaded.prefix}`;
}

/** Registers a folder as code version `<name>:1`; its ARM id. */
export async function registerCode(target: OnlineWorkspace, name: string, folder: string): Promise<string> {
  const codeUri = await upload(target, folder, name);
  const code = await target.ml.codeVersions.createOrUpdate(target.group, target.workspace, name, "1", { properties: { codeUri } });
  return code.id ?? "";
}

/** Registers a file or folder as model version `<name>:1`; its ARM id. */
export async function registerModel(target: OnlineWorkspace, name: string, localPath: string): Promise<string> {
  const modelUri = await upload(target, localPath, name);
  const model = await target.ml.modelVersions.createOrUpdate(target.group, target.workspace, name, "1", {
    properties: { modelUri, modelType: "custom_model" },
  });
  return model.id ?? "";
}

export function curatedEnvironment(target: OnlineWorkspace): string {
  return `${target.workspaceId}/environments/AzureML-sklearn-1.0-ubuntu20.04-py38-cpu/versions/1`;
}

export function keyEndpoint(target: OnlineWorkspace, properties: Partial<OnlineEndpoint["properties"]> = {}): OnlineEndpoint {
  return { location: target.location, properties: { authMode: "Key", ...properties } };
}

export function managedDeployment(
  target: OnlineWorkspace,
  codeId: string,
  scoringScript: string,
  extra: Record<string, unknown> = {},
  model?: string,
): OnlineDeployment {
  return {
    location: target.location,
    sku: { name: "Default", capacity: 1 },
    properties: {
      endpointComputeType: "Managed",
      instanceType: "Standard_DS3_v2",
      codeConfiguration: { codeId, scoringScript },
      environmentId: curatedEnvironment(target),
      ...(model ? { model } : {}),
      ...extra,
    },
  };
}
