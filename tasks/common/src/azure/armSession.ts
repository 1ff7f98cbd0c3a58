import { createCredential } from "../auth/credential";
import { ServiceConnection } from "../auth/serviceConnection";
import { readAgentHttpSettings } from "../http/agentHttpSettings";
import { azureClientOptions } from "../http/clientOptions";
import { ArmClientSetup } from "./armClients";

/** From the service connection and the agent's proxy and CA settings to ready-to-use ARM client settings. */
export function createArmClientSetup(connection: ServiceConnection, subscriptionId: string): ArmClientSetup {
  const http = readAgentHttpSettings();
  const { endpoint, credentialScopes, ...pipeline } = azureClientOptions(connection, http);
  return {
    credential: createCredential(connection, http),
    subscriptionId,
    armUrl: endpoint,
    scopes: credentialScopes,
    pipeline,
  };
}
