import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import type { AgentHttpSettings } from "./agentHttpSettings";
import { createAgentSelector } from "./agentSelector";

/**
 * The SDK's own HTTP client, with each request's connection agent chosen from the agent's
 * proxy and CA settings. Being the transport, it has the last word over the pipeline's proxy
 * policy, which knows neither the agent's bypass list nor how to combine a proxy with a CA.
 */
export function createRoutingHttpClient(settings: AgentHttpSettings): HttpClient {
  const transport = createDefaultHttpClient();
  const agentFor = createAgentSelector(settings);
  return {
    sendRequest(request) {
      request.agent = agentFor(new URL(request.url));
      return transport.sendRequest(request);
    },
  };
}
