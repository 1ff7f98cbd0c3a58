import { createHash } from "node:crypto";
import type { AccountKeyDatastoreSecrets, AzureBlobDatastore } from "@azure/arm-machinelearning";
import { ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { armClients, clientArguments, runClient, secretCredential } from "./clientSupport";

/** One blob under the prefix: its name relative to the prefix, its size and content hash. */
export interface DatastoreFile {
  name: string;
  bytes: number;
  sha256: string;
  /** The first bytes, in hex: enough to tell a pickle from text. */
  start: string;
  /** Changes whenever the blob is written again. */
  etag: string;
  /** The content in base64, for files up to 64 KiB. */
  base64?: string;
}

/**
 * Lists and downloads the blobs under a path of a workspace's datastore, as someone checking a
 * registered model from outside the tasks would: the datastore read through ARM, its account key
 * from Datastores_ListSecrets, the blobs from the storage account with the plain storage SDK.
 * Arguments: <resource group> <workspace> <datastore> <path prefix>.
 */
runClient(async (connection) => {
  const [resourceGroup, workspace, datastoreName, prefix] = clientArguments();
  const { machineLearning } = armClients(connection, secretCredential(connection));
  const datastore = await machineLearning.datastores.get(resourceGroup, workspace, datastoreName);
  const properties = datastore.properties as AzureBlobDatastore;
  const secrets = (await machineLearning.datastores.listSecrets(resourceGroup, workspace, datastoreName)) as AccountKeyDatastoreSecrets;
  if (!properties.accountName || !properties.containerName || !secrets.key) throw new Error(`datastore ${datastoreName} has no account, container or key`);
  const containerUrl = `${properties.protocol ?? "https"}://${properties.accountName}.blob.${properties.endpoint ?? "core.windows.net"}/${properties.containerName}`;
  const container = new ContainerClient(containerUrl, new StorageSharedKeyCredential(properties.accountName, secrets.key));
  const files: DatastoreFile[] = [];
  for await (const blob of container.listBlobsFlat({ prefix })) {
    const content = await container.getBlobClient(blob.name).downloadToBuffer();
    files.push({
      name: blob.name.slice(prefix.length).replace(/^\//, ""),
      bytes: content.length,
      etag: blob.properties.etag ?? "",
      sha256: createHash("sha256").update(content).digest("hex"),
      start: content.subarray(0, 2).toString("hex"),
      ...(content.length <= 65_536 ? { base64: content.toString("base64") } : {}),
    });
  }
  return files;
});
