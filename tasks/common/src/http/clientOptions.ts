import type { HttpClient, PipelineOptions } from "@azure/core-rest-pipeline";
import type { StoragePipelineOptions } from "@azure/storage-blob";
import type { ServiceConnection } from "../auth/serviceConnection";
import { defaultScopeFor } from "../auth/tokenScope";
import type { AgentHttpSettings } from "./agentHttpSettings";
import { createAgentSelector } from "./agentSelector";
import { createRoutingHttpClient } from "./routingHttpClient";

/** Transport options shared by every ARM client and every identity credential. */
export interface HttpPipelineOptions extends PipelineOptions {
  httpClient?: HttpClient;
}

/** What an `@azure/arm-*` client receives: where ARM is, which token it wants, how to reach it. */
export interface AzureClientOptions extends HttpPipelineOptions {
  endpoint: string;
  credentialScopes: string[];
}

// One transport per settings object, so all clients of a task share its connection pools.
const transports = new WeakMap<AgentHttpSettings, HttpClient>();

// A provisioning run makes dozens of calls; throttling, 5xx answers and dropped connections
// come in bursts, and the SDKs' default of 3 retries lets one burst fail the whole run. Six,
// with the default exponential back-off (0.8 s doubling), wait out about 50 s of trouble.
const retryOptions = { maxRetries: 6 };

/**
 * Pipeline options that make a client retry patiently and honour the agent's proxy (with its
 * bypass list) and CA. Without proxy or CA, the SDK's own transport is kept (including
 * HTTPS_PROXY/NO_PROXY).
 */
export function httpPipelineOptions(http: AgentHttpSettings): HttpPipelineOptions {
  if (!http.proxy && !http.ca) return { retryOptions };
  let httpClient = transports.get(http);
  if (!httpClient) {
    httpClient = createRoutingHttpClient(http);
    transports.set(http, httpClient);
  }
  return { httpClient, retryOptions };
}

export function azureClientOptions(connection: ServiceConnection, http: AgentHttpSettings): AzureClientOptions {
  return {
    ...httpPipelineOptions(http),
    endpoint: connection.armUrl,
    credentialScopes: [defaultScopeFor(connection.tokenAudience)],
  };
}

/**
 * Options for `@azure/storage-blob` clients of one account. That package only accepts a legacy
 * HTTP client type, and would add `additionalPolicies` again to its shared pipeline for every
 * child client, so the connection agent for the account's URL is passed instead: the package
 * hands `agent` on to its core pipeline (checked in the tests).
 */
export function storageClientOptions(accountUrl: string, http: AgentHttpSettings): StoragePipelineOptions & Pick<PipelineOptions, "agent"> {
  if (!http.proxy && !http.ca) return {};
  return { agent: createAgentSelector(http)(new URL(accountUrl)) };
}
