import { Directory } from "./directory";
import { AccessTokenService } from "./accessTokens";
import { SigningKey } from "./signingKey";
import { Logger } from "../logging";

export interface IdentityContext {
  readonly directory: Directory;
  readonly tokens: AccessTokenService;
  readonly entraKey: SigningKey;
  readonly devOpsKey: SigningKey;
  readonly baseUrl: string;
  /** Application ID URIs of the resources this tenant issues tokens for (ARM, storage, …). */
  readonly knownResources: readonly string[];
  readonly tokenLifetimeSeconds: number;
  readonly log: Logger;
}

/** "https://management.azure.com/" and "https://management.azure.com" name the same resource. */
export function findKnownResource(context: IdentityContext, resource: string): string | undefined {
  const normalized = resource.replace(/\/+$/, "").toLowerCase();
  return context.knownResources.find((known) => known.replace(/\/+$/, "").toLowerCase() === normalized);
}
