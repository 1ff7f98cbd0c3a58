import type { HttpClient } from "@azure/core-rest-pipeline";
import { requestOidcToken, type OidcTokenSource } from "./oidcToken";

// Entra must still find the assertion valid when it checks it, clock skew included.
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The client assertion callback for workload identity federation. MSAL calls it for every
 * token request, and this version of @azure/identity makes it call twice per getToken (cache
 * hits included), so an OIDC token is reused while its `exp` is comfortably ahead; one that is
 * about to expire, or that cannot be read, is replaced by a fresh one from Azure DevOps.
 * Concurrent callers share one request.
 */
export function createOidcAssertion(source: OidcTokenSource, httpClient: HttpClient): () => Promise<string> {
  let current: { token: string; expiresAtMs: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchFresh = async (): Promise<string> => {
    const token = await requestOidcToken(source, httpClient);
    const expiresAtSeconds = jwtExpiry(token);
    current = expiresAtSeconds === undefined ? undefined : { token, expiresAtMs: expiresAtSeconds * 1000 };
    return token;
  };

  return () => {
    if (current && current.expiresAtMs - EXPIRY_MARGIN_SECONDS * 1000 > Date.now()) return Promise.resolve(current.token);
    pending ??= fetchFresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>)["exp"] : undefined;
    return typeof exp === "number" ? exp : undefined;
  } catch {
    return undefined;
  }
}
