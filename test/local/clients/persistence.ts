import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { armClients, clientArguments, runClient, secretCredential } from "./clientSupport";

export interface PersistenceReport {
  groupTags: Record<string, string> | undefined;
  storageState: string | undefined;
  blobEndpoint: string | undefined;
  firstKey: string | undefined;
  blobText: string;
  pendingAccountState: string | undefined;
}

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * "write": makes a group, an account and a blob, then starts one more account without waiting.
 * "read": reads them all back (after the local Azure restarted on the same state folder).
 */
runClient(async (connection): Promise<PersistenceReport> => {
  const [mode] = clientArguments();
  const credential = secretCredential(connection);
  const clients = armClients(connection, credential);
  const location = "westeurope";
  if (mode === "write") {
    await clients.resourceGroups.createOrUpdate("rg-keep", { location, tags: { purpose: "persistence" } });
    await clients.storage.storageAccounts.create("rg-keep", "sakeep", { location, kind: "StorageV2", sku: { name: "Standard_LRS" } });
  }
  const group = await clients.resourceGroups.get("rg-keep");
  const account = await clients.storage.storageAccounts.getProperties("rg-keep", "sakeep");
  const keys = await clients.storage.storageAccounts.listKeys("rg-keep", "sakeep");
  const firstKey = keys.keys?.[0]?.value;
  const blobEndpoint = account.primaryEndpoints?.blob;
  const container = new BlobServiceClient(blobEndpoint ?? "", new StorageSharedKeyCredential("sakeep", firstKey ?? "")).getContainerClient("kept");
  if (mode === "write") {
    await container.createIfNotExists();
    await container.getBlockBlobClient("hello.txt").upload("kept across restarts", 20);
    // A creation still running when the local Azure stops: it must finish after the restart.
    const token = (await credential.getToken(connection.armScope))?.token ?? "";
    const response = await fetch(
      `${connection.armUrl}/subscriptions/${connection.subscriptionId}/resourceGroups/rg-keep/providers/Microsoft.Storage/storageAccounts/sapending?api-version=2023-05-01`,
      {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ location, kind: "StorageV2", sku: { name: "Standard_LRS" } }),
      },
    );
    if (response.status !== 202) throw new Error(`expected 202 for the pending account, got ${response.status}`);
  }
  const blobText = await streamText((await container.getBlockBlobClient("hello.txt").download()).readableStreamBody);
  const pending = await clients.storage.storageAccounts.getProperties("rg-keep", "sapending");
  return {
    groupTags: group.tags,
    storageState: account.provisioningState,
    blobEndpoint,
    firstKey,
    blobText,
    pendingAccountState: pending.provisioningState,
  };
});
