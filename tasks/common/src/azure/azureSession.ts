import type { TokenCredential } from "@azure/core-auth";
import { createCredential } from "../auth/credential";
import type { ServiceConnection } from "../auth/serviceConnection";
import { CachingCredential } from "../auth/tokenCache";
import { defaultScopeFor } from "../auth/tokenScope";
import { type AgentHttpSettings, readAgentHttpSettings } from "../http/agentHttpSettings";
import { httpPipelineOptions, type HttpPipelineOptions } from "../http/clientOptions";
import type { ArmClientSetup } from "./clients/armClients";

/** Blob storage takes tokens of this audience in every cloud. */
export const STORAGE_AUDIENCE = "https://storage.azure.com/";

/** The token audiences one run may need. */
export type Audience = "resourceManager" | "storage" | "machineLearning";

/** Where the connection's cloud is. */
export interface CloudEndpoints {
  /** e.g. AzureCloud */
  cloud: string;
  /** ARM, without trailing slash, e.g. https://management.azure.com */
  resourceManager: string;
  /** Entra ID authority host, without trailing slash. */
  authority: string;
}

/**
 * Everything every client of one task run shares: who we are (one credential that masks each
 * token and asks Entra ID once per audience), how the agent reaches the network (proxy, CA,
 * retries; one connection pool), where the cloud is, and the token scope of each audience. Each
 * service client (clients/) is built from it.
 */
export interface AzureSession {
  readonly connection: ServiceConnection;
  readonly subscriptionId: string;
  readonly credential: TokenCredential;
  readonly http: AgentHttpSettings;
  /** Proxy, CA and retry options every client's pipeline takes. */
  readonly pipeline: HttpPipelineOptions;
  readonly endpoints: CloudEndpoints;
  /** The `.default` scope of each audience. */
  readonly scopes: Readonly<Record<Audience, string[]>>;
  /** What the `@azure/arm-*` clients take (clients/armClients.ts). */
  readonly arm: ArmClientSetup;
}

export interface SessionOptions {
  /** The agent's proxy and CA; read from the agent's variables when not given. */
  http?: AgentHttpSettings;
  /** In place of the connection's own credential (tests). */
  credential?: TokenCredential;
}

/**
 * The one Azure session of a task run. The Azure ML data plane (discovery, run history) takes
 * ARM tokens, as azure-ai-ml's run-history client asks for the resource manager's `.default`
 * scope: its audience is ARM's, so ARM and Azure ML share one token.
 */
export function createAzureSession(connection: ServiceConnection, subscriptionId: string, options: SessionOptions = {}): AzureSession {
  const http = options.http ?? readAgentHttpSettings();
  const credential = new CachingCredential(options.credential ?? createCredential(connection, http));
  const pipeline = httpPipelineOptions(http);
  const armScopes = [defaultScopeFor(connection.tokenAudience)];
  const scopes = { resourceManager: armScopes, machineLearning: armScopes, storage: [defaultScopeFor(STORAGE_AUDIENCE)] };
  return {
    connection,
    subscriptionId,
    credential,
    http,
    pipeline,
    endpoints: { cloud: connection.cloud, resourceManager: connection.armUrl, authority: connection.authorityUrl },
    scopes,
    arm: { credential, subscriptionId, armUrl: connection.armUrl, scopes: armScopes, pipeline },
  };
}
