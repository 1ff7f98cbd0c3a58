import { ClientSecretCredential, TokenCredential } from "@azure/identity";
import { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { outcome, Outcome } from "../support/clientOutcome";
import {
  armClients,
  certificateCredential,
  managedIdentityCredential,
  principal,
  runClient,
  secretCredential,
  workloadIdentityCredential,
} from "./clientSupport";

export interface FlavourResult {
  resourceGroups: number;
  tokenLifetimeSeconds: number;
}

export interface IdentityFlavoursReport {
  flavours: Record<string, Outcome<FlavourResult>>;
  refusals: Record<string, Outcome<string>>;
}

async function useCredential(connection: LocalAzureConnection, credential: TokenCredential): Promise<FlavourResult> {
  const token = await credential.getToken(connection.armScope);
  if (!token) throw new Error("no token");
  const groups = [];
  for await (const group of armClients(connection, credential).resourceGroups.list()) groups.push(group);
  return { resourceGroups: groups.length, tokenLifetimeSeconds: Math.round((token.expiresOnTimestamp - Date.now()) / 1000) };
}

async function tokenOnly(connection: LocalAzureConnection, credential: TokenCredential): Promise<string> {
  const token = await credential.getToken(connection.armScope);
  return token ? "token" : "none";
}

runClient(async (connection): Promise<IdentityFlavoursReport> => {
  const flavours: Record<string, Outcome<FlavourResult>> = {
    clientSecret: await outcome(() => useCredential(connection, secretCredential(connection))),
    clientCertificate: await outcome(() => useCredential(connection, certificateCredential(connection))),
    workloadIdentityFederation: await outcome(() => useCredential(connection, workloadIdentityCredential(connection))),
    managedIdentityImds: await outcome(() => useCredential(connection, managedIdentityCredential(connection, "imds"))),
  };
  // One flavour of managed identity at a time: the App Service variables win over IMDS in MSAL.
  flavours.managedIdentityAppService = await outcome(() => useCredential(connection, managedIdentityCredential(connection, "appService")));
  for (const name of Object.keys(connection.managedIdentity?.appServiceEnvironment ?? {})) delete process.env[name];

  const refusals: Record<string, Outcome<string>> = {
    wrongSecret: await outcome(() => tokenOnly(connection, secretCredential(connection, "subscription-secret", "not-the-secret"))),
    unknownApplication: await outcome(() =>
      tokenOnly(
        connection,
        new ClientSecretCredential(connection.tenantId, "00000000-0000-0000-0000-000000000000", "x", {
          authorityHost: connection.authorityUrl,
          disableInstanceDiscovery: true,
        }),
      ),
    ),
    unknownTenant: await outcome(() =>
      tokenOnly(
        connection,
        new ClientSecretCredential("22222222-2222-2222-2222-222222222222", principal(connection, "subscription-secret").clientId, "x", {
          authorityHost: connection.authorityUrl,
          disableInstanceDiscovery: true,
        }),
      ),
    ),
    certificateNotRegistered: await outcome(() =>
      tokenOnly(connection, certificateCredential(connection, principal(connection, "subscription-secret").clientId)),
    ),
    wrongServiceConnection: await outcome(() => tokenOnly(connection, workloadIdentityCredential(connection, "11111111-1111-1111-1111-111111111111"))),
  };
  return { flavours, refusals };
});
