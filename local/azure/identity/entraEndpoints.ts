import { timingSafeEqual } from "node:crypto";
import { Exchange, header, parseFormBody, sendJson } from "../http/exchange";
import { pathSegments } from "../http/pathTemplate";
import { JsonObject } from "../state/json";
import { EntraError, entraErrors } from "./entraErrors";
import { findKnownResource, IdentityContext } from "./identityContext";
import { jsonWebKeySet } from "./signingKey";
import { verifyClientAssertion } from "./clientAssertions";
import { AuthenticationMethod } from "./accessTokens";

const jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const oidcScopes = new Set(["openid", "profile", "offline_access", "email"]);

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function openIdConfiguration(context: IdentityContext, tenant: string, version: "v1" | "v2"): JsonObject {
  const base = `${context.baseUrl}/${tenant}`;
  const oauth = version === "v2" ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: version === "v2" ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: version === "v2" ? `${base}/v2.0` : `${base}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "oid", "tid", "ver"],
    tenant_region_scope: "WW",
    cloud_instance_name: "localhost",
  };
}

function instanceDiscovery(context: IdentityContext): JsonObject {
  const host = new URL(context.baseUrl).host;
  return {
    tenant_discovery_endpoint: `${context.baseUrl}/${context.directory.state.tenantId}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

interface ClientCredentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** client_secret_post, or client_secret_basic (RFC 6749 §2.3.1: form-encoded, then base64). */
function clientCredentials(exchange: Exchange, form: URLSearchParams): ClientCredentials {
  const authorization = header(exchange, "authorization");
  if (authorization?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
    const separator = decoded.indexOf(":");
    if (separator > 0) {
      try {
        return {
          clientId: decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, " ")),
          clientSecret: decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, " ")),
        };
      } catch {
        // Not form-encoded: the credentials are unreadable, as if none were sent.
        return { clientId: undefined, clientSecret: undefined };
      }
    }
  }
  return { clientId: form.get("client_id") ?? undefined, clientSecret: form.get("client_secret") ?? undefined };
}

function requestedResource(form: URLSearchParams, version: "v1" | "v2"): string {
  if (version === "v1") {
    const resource = form.get("resource");
    if (!resource) throw entraErrors.missingParameter("resource");
    return resource;
  }
  const scope = form.get("scope");
  if (!scope) throw entraErrors.missingParameter("scope");
  const resourceScopes = scope.split(" ").filter((entry) => entry.length > 0 && !oidcScopes.has(entry));
  if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith("/.default")) throw entraErrors.scopeWithoutDefault(scope);
  return resourceScopes[0].slice(0, -".default".length);
}

function issueToken(exchange: Exchange, context: IdentityContext, tenant: string, version: "v1" | "v2"): JsonObject {
  const directory = context.directory;
  if (!directory.isThisTenant(tenant)) throw entraErrors.tenantNotFound(tenant);
  const form = parseFormBody(exchange);
  const grantType = form.get("grant_type");
  if (!grantType) throw entraErrors.missingParameter("grant_type");
  if (grantType !== "client_credentials") throw entraErrors.unsupportedGrantType(grantType);
  const credentials = clientCredentials(exchange, form);
  if (!credentials.clientId) throw entraErrors.missingParameter("client_id");
  const requested = requestedResource(form, version);
  // The token names the resource as registered, whatever slashes the scope carried
  // ("https://management.core.windows.net//.default" asks for "https://management.core.windows.net/").
  const resource = findKnownResource(context, requested);
  if (!resource) throw entraErrors.resourceNotFound(requested, directory.state.tenantDomain);

  const principal = directory.principalByClientId(credentials.clientId);
  if (!principal || principal.kind !== "application") throw entraErrors.applicationNotFound(credentials.clientId, directory.state.tenantId);

  let method: AuthenticationMethod;
  const assertion = form.get("client_assertion");
  if (credentials.clientSecret !== undefined) {
    const secret = credentials.clientSecret;
    if (!principal.secrets.some((expected) => sameSecret(secret, expected))) throw entraErrors.invalidClientSecret(principal.clientId);
    method = "secret";
  } else if (assertion) {
    const assertionType = form.get("client_assertion_type");
    if (!assertionType) throw entraErrors.missingParameter("client_assertion_type");
    if (assertionType !== jwtBearerAssertionType) throw entraErrors.invalidAssertionType(assertionType);
    const tokenEndpoints = [
      `${context.baseUrl}/${tenant}/oauth2/v2.0/token`,
      `${context.baseUrl}/${tenant}/oauth2/token`,
      `${context.baseUrl}/${directory.state.tenantId}/oauth2/v2.0/token`,
      `${context.baseUrl}/${directory.state.tenantId}/oauth2/token`,
    ];
    const verdict = verifyClientAssertion(assertion, principal, context, tokenEndpoints);
    if (!verdict.ok) throw verdict.error;
    method = verdict.method;
  } else {
    throw entraErrors.missingCredential();
  }

  const issued = context.tokens.issue(principal, resource, method);
  context.log("info", `Entra issued a token to ${principal.name} (${principal.clientId}) for ${resource} by ${method}`);
  const response: JsonObject = {
    token_type: "Bearer",
    expires_in: issued.expiresInSeconds,
    ext_expires_in: issued.expiresInSeconds,
    access_token: issued.accessToken,
  };
  if (version === "v1") {
    response.expires_on = String(issued.expiresOnSeconds);
    response.not_before = String(issued.notBeforeSeconds);
    response.resource = resource;
  }
  return response;
}

const noStore = { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" };

/** Microsoft Entra ID: OpenID discovery, signing keys, instance discovery and the token endpoint. */
export function handleEntraRequest(exchange: Exchange, context: IdentityContext): boolean {
  const segments = pathSegments(exchange.path);
  if (segments.length < 2) return false;
  const [tenant, ...rest] = segments;
  const route = rest.join("/").toLowerCase();
  const correlationId = header(exchange, "client-request-id") ?? exchange.requestId;
  const responseHeaders = { "x-ms-request-id": exchange.requestId, "client-request-id": correlationId, ...noStore };
  const tenantKnown = context.directory.isThisTenant(tenant);
  const isCommon = ["common", "organizations"].includes(tenant.toLowerCase());

  try {
    if (exchange.method === "GET" && (route === "v2.0/.well-known/openid-configuration" || route === ".well-known/openid-configuration")) {
      if (!tenantKnown) throw entraErrors.tenantNotFound(tenant);
      sendJson(exchange, 200, openIdConfiguration(context, tenant, route.startsWith("v2.0") ? "v2" : "v1"), responseHeaders);
      return true;
    }
    if (exchange.method === "GET" && (route === "discovery/v2.0/keys" || route === "discovery/keys")) {
      if (!tenantKnown && !isCommon) throw entraErrors.tenantNotFound(tenant);
      sendJson(exchange, 200, jsonWebKeySet([context.entraKey]), responseHeaders);
      return true;
    }
    if (exchange.method === "GET" && route === "discovery/instance") {
      sendJson(exchange, 200, instanceDiscovery(context), responseHeaders);
      return true;
    }
    if (route === "oauth2/v2.0/token" || route === "oauth2/token") {
      if (exchange.method !== "POST") {
        sendJson(exchange, 405, { error: "invalid_request", error_description: "The token endpoint only accepts POST." }, responseHeaders);
        return true;
      }
      sendJson(exchange, 200, issueToken(exchange, context, tenant, route === "oauth2/token" ? "v1" : "v2"), responseHeaders);
      return true;
    }
  } catch (error) {
    if (error instanceof EntraError) {
      context.log("warn", `Entra refused ${exchange.method} ${exchange.path}: ${error.message}`);
      sendJson(exchange, error.status, error.body(correlationId), responseHeaders);
      return true;
    }
    throw error;
  }
  return false;
}
