import { AzurePipelinesCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, TokenCredential } from "@azure/identity";
import { ResourceManagementClient } from "@azure/arm-resources";
import { StorageManagementClient } from "@azure/arm-storage";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { LocalAzureConnection, ServicePrincipalConnection } from "../../../local/azure/connection/connectionInfo";
import { readConnectionFile } from "../../../local/azure/connection/readConnectionFile";

/**
 * Client programs run in their own node process, started with the environment connection.json
 * asks for (NODE_EXTRA_CA_CERTS is read only at process start), exactly as a task would be.
 * They print one line "RESULT:<json>" for the test to assert on.
 */
export function readConnection(): LocalAzureConnection {
  const path = process.argv[2];
  if (!path) throw new Error("usage: node <client>.js <connection.json> [arguments]");
  return readConnectionFile(path);
}

export function clientArguments(): string[] {
  return process.argv.slice(3);
}

export function report(result: unknown): void {
  process.stdout.write(`RESULT:${JSON.stringify(result)}\n`);
}

export function runClient(scenario: (connection: LocalAzureConnection) => Promise<unknown>): void {
  scenario(readConnection()).then(
    (result) => report(result),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}

export function principal(connection: LocalAzureConnection, name: string): ServicePrincipalConnection {
  const found = connection.servicePrincipals.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`connection.json has no service principal named ${name}`);
  return found;
}

const identityOptions = (connection: LocalAzureConnection) => ({ authorityHost: connection.authorityUrl, disableInstanceDiscovery: true });

export function secretCredential(connection: LocalAzureConnection, principalName = "subscription-secret", secretOverride?: string): TokenCredential {
  const sp = principal(connection, principalName);
  return new ClientSecretCredential(connection.tenantId, sp.clientId, secretOverride ?? sp.clientSecret ?? "", identityOptions(connection));
}

export function certificateCredential(connection: LocalAzureConnection, clientIdOverride?: string): TokenCredential {
  const sp = principal(connection, "subscription-certificate");
  return new ClientCertificateCredential(
    connection.tenantId,
    clientIdOverride ?? sp.clientId,
    { certificatePath: sp.certificatePath ?? "" },
    identityOptions(connection),
  );
}

export function workloadIdentityCredential(connection: LocalAzureConnection, serviceConnectionId?: string): TokenCredential {
  const oidc = connection.oidc;
  if (!oidc) throw new Error("connection.json has no oidc section");
  process.env.SYSTEM_OIDCREQUESTURI = oidc.requestUri;
  return new AzurePipelinesCredential(
    connection.tenantId,
    oidc.clientId,
    serviceConnectionId ?? oidc.serviceConnectionId,
    oidc.accessToken,
    identityOptions(connection),
  );
}

export function managedIdentityCredential(connection: LocalAzureConnection, flavour: "imds" | "appService"): TokenCredential {
  const identity = connection.managedIdentity;
  if (!identity) throw new Error("connection.json has no managedIdentity section");
  Object.assign(process.env, flavour === "imds" ? identity.imdsEnvironment : identity.appServiceEnvironment);
  return new ManagedIdentityCredential({ clientId: identity.clientId });
}

/** The clients a task uses, each pinned to the api-version the local Azure (and the tasks) speak. */
export function armClients(connection: LocalAzureConnection, credential: TokenCredential) {
  const endpoint = connection.armUrl;
  const credentialScopes = [connection.armScope];
  return {
    resourceGroups: new ResourceManagementClient(credential, connection.subscriptionId, { endpoint, credentialScopes, apiVersion: "2024-03-01" })
      .resourceGroups,
    // No apiVersion here: by-id calls carry the resource's own api-version, which a pinned client would overwrite.
    resources: new ResourceManagementClient(credential, connection.subscriptionId, { endpoint, credentialScopes }).resources,
    storage: new StorageManagementClient(credential, connection.subscriptionId, {
      endpoint,
      credentials: { scopes: credentialScopes },
      apiVersion: "2023-05-01",
    }),
    keyVault: new KeyVaultManagementClient(credential, connection.subscriptionId, {
      endpoint,
      credentials: { scopes: credentialScopes },
      apiVersion: "2023-07-01",
    }),
    registry: new ContainerRegistryManagementClient(credential, connection.subscriptionId, {
      endpoint,
      credentials: { scopes: credentialScopes },
      apiVersion: "2023-07-01",
    }),
    machineLearning: new AzureMachineLearningWorkspaces(credential, connection.subscriptionId, { endpoint, credentialScopes }),
  };
}

export type ArmClients = ReturnType<typeof armClients>;
