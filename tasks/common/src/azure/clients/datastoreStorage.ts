import type { AzureBlobDatastore, Datastore, DatastoreSecretsUnion } from "@azure/arm-machinelearning";
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { maskSecret } from "../../auth/secretMasking";
import { describing } from "../../errors/azureError";
import { InputError } from "../../errors/inputError";
import { storageClientOptions } from "../../http/clientOptions";
import type { AzureSession } from "../azureSession";
import type { MachineLearningControlPlane } from "./machineLearningControlPlane";

/** Where a blob datastore's container is. */
export interface BlobDatastoreLocation {
  /** The datastore's name, for messages. */
  name: string;
  accountName: string;
  containerName: string;
  /** The storage endpoint suffix, e.g. core.windows.net (localhost:10000 on the local Azure). */
  endpoint: string;
  /** https, or http on an emulator. */
  protocol: string;
}

/**
 * A blob datastore's container, from the datastore resource. Refused, in one sentence, for a
 * datastore that is not an Azure Blob one or lacks its account or container.
 */
export function blobDatastoreLocation(datastore: Datastore, name = datastore.name ?? "datastore"): BlobDatastoreLocation {
  const type: string | undefined = datastore.properties.datastoreType;
  if (type !== "AzureBlob") {
    throw new InputError(`Datastore '${name}' is of type ${type ?? "unknown"}; these tasks upload to Azure Blob datastores only.`);
  }
  const properties = datastore.properties as AzureBlobDatastore;
  if (!properties.accountName || !properties.containerName) {
    throw new InputError(`Datastore '${name}' names no storage account or container.`);
  }
  return {
    name,
    accountName: properties.accountName,
    containerName: properties.containerName,
    endpoint: properties.endpoint?.trim() || "core.windows.net",
    protocol: (properties.protocol?.trim() || "https").toLowerCase(),
  };
}

export function blobAccountUrl(location: BlobDatastoreLocation): string {
  return `${location.protocol}://${location.accountName}.blob.${location.endpoint}`;
}

/**
 * The datastore's container as a `@azure/storage-blob` client, signed in the way the datastore
 * allows: with the account key or SAS token of its secrets (Datastores_ListSecrets), each
 * registered with the agent's masker before use, or else (an identity-based datastore, no
 * secrets) with the session's storage token. Honours the agent's proxy and CA.
 */
export function datastoreContainerClient(session: AzureSession, location: BlobDatastoreLocation, secrets?: DatastoreSecretsUnion): ContainerClient {
  const accountUrl = blobAccountUrl(location);
  const containerUrl = `${accountUrl}/${encodeURIComponent(location.containerName)}`;
  const options = storageClientOptions(accountUrl, session.http);
  if (secrets?.secretsType === "AccountKey" && "key" in secrets && secrets.key) {
    maskSecret(secrets.key);
    return new ContainerClient(containerUrl, new StorageSharedKeyCredential(location.accountName, secrets.key), options);
  }
  if (secrets?.secretsType === "Sas" && "sasToken" in secrets && secrets.sasToken) {
    const sas = secrets.sasToken.replace(/^\?/, "");
    maskSecret(sas);
    const signature = new URLSearchParams(sas).get("sig");
    if (signature) maskSecret(signature);
    return new ContainerClient(`${containerUrl}?${sas}`, new AnonymousCredential(), options);
  }
  return new ContainerClient(containerUrl, session.credential, { ...options, audience: session.scopes.storage });
}

/**
 * The container of datastore `name` (its resource already read), signed as it allows: its secrets
 * are listed unless it is identity-based, where the session's storage token signs in.
 */
export async function openDatastoreContainer(
  session: AzureSession,
  controlPlane: MachineLearningControlPlane,
  datastore: Datastore,
  name: string,
): Promise<ContainerClient> {
  const location = blobDatastoreLocation(datastore, name);
  const secrets =
    datastore.properties.credentials?.credentialsType === "None"
      ? undefined
      : await describing(`Listing the secrets of datastore '${name}'`, () => controlPlane.listDatastoreSecrets(name));
  return datastoreContainerClient(session, location, secrets);
}
