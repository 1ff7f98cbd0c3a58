/**
 * The environment variables through which the Azure Pipelines agent hands a task its AzureRM
 * service connection: `ENDPOINT_URL_<id>`, `ENDPOINT_AUTH_<id>` (JSON), the per-parameter
 * `ENDPOINT_AUTH_SCHEME_<id>` / `ENDPOINT_AUTH_PARAMETER_<id>_<KEY>`, and `ENDPOINT_DATA_<id>_<KEY>`.
 */
export interface AgentEndpoint {
  id: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data: Record<string, string>;
}

export function agentEndpointEnvironment(endpoint: AgentEndpoint): Record<string, string> {
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

/** Sets variables in this process's environment and returns a function that restores it. */
export function withEnvironment(values: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(values)) {
    previous.set(key, process.env[key]);
    process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
