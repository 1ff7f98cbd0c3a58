/**
 * The environment through which the Azure Pipelines agent hands a task its inputs, variables
 * and service connections.
 */
export interface AgentEndpoint {
  id: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data: Record<string, string>;
}

/** `ENDPOINT_URL_<id>`, `ENDPOINT_AUTH_<id>` (JSON), `ENDPOINT_AUTH_SCHEME_<id>`, `ENDPOINT_AUTH_PARAMETER_<id>_<KEY>`, `ENDPOINT_DATA_<id>_<KEY>`. */
export function endpointEnvironment(endpoint: AgentEndpoint): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${endpoint.id}`]: endpoint.url,
    [`ENDPOINT_AUTH_${endpoint.id}`]: JSON.stringify({ scheme: endpoint.scheme, parameters: endpoint.parameters }),
    [`ENDPOINT_AUTH_SCHEME_${endpoint.id}`]: endpoint.scheme,
  };
  for (const [key, value] of Object.entries(endpoint.parameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${key.toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(endpoint.data)) {
    env[`ENDPOINT_DATA_${endpoint.id}_${key.toUpperCase()}`] = value;
  }
  return env;
}

/** A pipeline variable as the agent exposes it: upper case, '.' and ' ' as '_'; secrets as SECRET_. */
export function variableEnvironmentName(name: string, secret = false): string {
  return `${secret ? "SECRET_" : ""}${name.replace(/[.\s]/g, "_").toUpperCase()}`;
}

/** An input as the agent exposes it: `INPUT_<NAME>`, with spaces as '_'. */
export function inputEnvironmentName(name: string): string {
  return `INPUT_${name.replace(/\s/g, "_").toUpperCase()}`;
}
