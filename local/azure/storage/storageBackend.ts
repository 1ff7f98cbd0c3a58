import type { ContainerClient } from "@azure/storage-blob";

/** The blob service behind storage accounts: Azurite in this emulator. */
export interface StorageBackend {
  /** "localhost:10000": what a storage account's endpoints and a datastore's `endpoint` carry. */
  readonly endpointSuffix: string;
  readonly protocol: "https" | "http";
  /** Makes the account usable with these keys (Azurite reads its accounts at start, so this restarts it). */
  registerAccount(name: string, keys: readonly string[]): Promise<void>;
  forgetAccount(name: string): Promise<void>;
  createContainer(accountName: string, accountKey: string, containerName: string): Promise<void>;
  /** A client for one container, signed with the account key, as the resource provider reaches its own storage (jobs read code and write outputs). */
  containerClient(accountName: string, accountKey: string, containerName: string): ContainerClient;
}
