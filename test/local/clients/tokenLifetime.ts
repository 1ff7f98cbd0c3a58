import { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { outcome, Outcome } from "../support/clientOutcome";
import { armClients, runClient, secretCredential } from "./clientSupport";

export interface RawArmAnswer {
  status: number;
  code: string | undefined;
  message: string | undefined;
  wwwAuthenticate: string | null;
}

export interface TokenLifetimeReport {
  missingHeader: RawArmAnswer;
  wrongAudience: RawArmAnswer;
  expiredToken: RawArmAnswer;
  /** ARM's answer to tokens asked for with each form of its scope that clients use. */
  scopeForms: Record<string, number>;
  sdkBeforeExpiry: Outcome<number>;
  sdkAfterExpiry: Outcome<number>;
}

async function rawGet(connection: LocalAzureConnection, token: string | undefined): Promise<RawArmAnswer> {
  const response = await fetch(`${connection.armUrl}/subscriptions/${connection.subscriptionId}/resourcegroups?api-version=2024-03-01`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as { error?: { code?: string; message?: string } };
  return { status: response.status, code: body.error?.code, message: body.error?.message, wwwAuthenticate: response.headers.get("www-authenticate") };
}

async function countGroups(clients: ReturnType<typeof armClients>): Promise<number> {
  let count = 0;
  for await (const group of clients.resourceGroups.list()) if (group) count++;
  return count;
}

/** Argument: the token lifetime the local Azure was started with, in seconds. */
runClient(async (connection): Promise<TokenLifetimeReport> => {
  const lifetimeSeconds = Number(process.argv[3] ?? "3");
  const credential = secretCredential(connection);
  const clients = armClients(connection, credential);
  const missingHeader = await rawGet(connection, undefined);
  const storageToken = await credential.getToken("https://storage.azure.com/.default");
  const wrongAudience = await rawGet(connection, storageToken?.token);
  const scopeForms: Record<string, number> = {};
  for (const scope of [
    connection.armScope,
    `${connection.armAudience}/.default`,
    "https://management.core.windows.net//.default",
    `${connection.armUrl}//.default`,
    `${connection.armUrl}/.default`,
  ]) {
    const token = await credential.getToken(scope);
    scopeForms[scope] = (await rawGet(connection, token?.token)).status;
  }
  const armToken = await credential.getToken(connection.armScope);
  const sdkBeforeExpiry = await outcome(() => countGroups(clients));
  await new Promise((resolve) => setTimeout(resolve, (lifetimeSeconds + 1.5) * 1000));
  const expiredToken = await rawGet(connection, armToken?.token);
  // The same SDK client keeps working: it renews its token before using it.
  const sdkAfterExpiry = await outcome(() => countGroups(clients));
  return { missingHeader, wrongAudience, expiredToken, scopeForms, sdkBeforeExpiry, sdkAfterExpiry };
});
