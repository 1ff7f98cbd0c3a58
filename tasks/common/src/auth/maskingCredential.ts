import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { maskSecret } from "./secretMasking";

/**
 * A credential whose every access token is registered with the agent's masker before any client
 * receives it: a service that echoes a request in its error (a proxy, a gateway) would otherwise
 * print a live bearer token in the task's failure.
 */
export class MaskingCredential implements TokenCredential {
  constructor(readonly inner: TokenCredential) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = await this.inner.getToken(scopes, options);
    maskSecret(token?.token);
    return token;
  }
}
