import { readFileSync } from "node:fs";
import { LocalAzureConnection } from "./connectionInfo";

const requiredText: readonly (keyof LocalAzureConnection)[] = ["armUrl", "authorityUrl", "tenantId", "subscriptionId"];

/**
 * Reads a connection.json, written by the local Azure or by hand for a real subscription, and
 * says which field is wrong rather than failing later inside an SDK.
 */
export function readConnectionFile(path: string): LocalAzureConnection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not a readable JSON file: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${path} must hold a JSON object.`);
  const connection = parsed as Partial<LocalAzureConnection>;
  for (const field of requiredText) {
    if (typeof connection[field] !== "string" || connection[field] === "") throw new Error(`${path}: "${field}" is required (a string).`);
  }
  if (!Array.isArray(connection.servicePrincipals) || connection.servicePrincipals.length === 0) {
    throw new Error(`${path}: "servicePrincipals" must list at least one principal; the first needs rights on the whole subscription.`);
  }
  connection.servicePrincipals.forEach((principal, index) => {
    if (!principal.clientId || (!principal.clientSecret && !principal.certificatePath)) {
      throw new Error(`${path}: servicePrincipals[${index}] needs "clientId" and either "clientSecret" or "certificatePath".`);
    }
  });
  return {
    kind: connection.kind ?? "azure",
    armAudience: connection.armAudience ?? "https://management.core.windows.net/",
    armScope: connection.armScope ?? `${connection.armAudience ?? "https://management.core.windows.net/"}/.default`,
    location: connection.location ?? "westeurope",
    clientEnvironment: connection.clientEnvironment ?? {},
    ...connection,
  } as LocalAzureConnection;
}
