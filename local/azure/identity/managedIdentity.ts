import { timingSafeEqual } from "node:crypto";
import { Exchange, header, sendJson } from "../http/exchange";
import { JsonObject } from "../state/json";
import { PrincipalRecord } from "./directory";
import { findKnownResource, IdentityContext } from "./identityContext";

/** IMDS serves it here; AZURE_POD_IDENTITY_AUTHORITY_HOST points @azure/identity at our host. */
export const imdsTokenPath = "/metadata/identity/oauth2/token";
/** App Service's flavour: IDENTITY_ENDPOINT is this URL, IDENTITY_HEADER the shared secret. */
export const appServiceTokenPath = "/msi/token";

function miError(error: string, description: string): JsonObject {
  return { error, error_description: description };
}

function selectIdentity(exchange: Exchange, context: IdentityContext): PrincipalRecord | undefined {
  const identities = context.directory.state.principals.filter((candidate) => candidate.kind === "managedIdentity");
  const clientId = exchange.query.get("client_id") ?? exchange.query.get("clientid");
  const objectId = exchange.query.get("object_id") ?? exchange.query.get("principalid");
  if (clientId) return identities.find((identity) => identity.clientId.toLowerCase() === clientId.toLowerCase());
  if (objectId) return identities.find((identity) => identity.objectId.toLowerCase() === objectId.toLowerCase());
  if (exchange.query.get("msi_res_id") ?? exchange.query.get("mi_res_id")) return undefined;
  // The VM's system-assigned identity.
  return identities[0];
}

function tokenResponse(exchange: Exchange, context: IdentityContext, flavour: "imds" | "appService"): void {
  const requested = exchange.query.get("resource");
  if (!exchange.query.get("api-version")) {
    sendJson(exchange, 400, miError("invalid_request", "Required query variable 'api-version' is missing"));
    return;
  }
  if (!requested) {
    sendJson(exchange, 400, miError("invalid_request", "Required query variable 'resource' is missing"));
    return;
  }
  const resource = findKnownResource(context, requested);
  if (!resource) {
    sendJson(
      exchange,
      400,
      miError(
        "invalid_resource",
        `AADSTS500011: The resource principal named ${requested} was not found in the tenant named ${context.directory.state.tenantDomain}.`,
      ),
    );
    return;
  }
  const identity = selectIdentity(exchange, context);
  if (!identity) {
    sendJson(exchange, 400, miError("invalid_request", "Identity not found"));
    return;
  }
  const issued = context.tokens.issue(identity, resource, "managedIdentity");
  context.log("info", `Managed identity (${flavour}) issued a token to ${identity.name} for ${resource}`);
  const body: JsonObject = {
    access_token: issued.accessToken,
    client_id: identity.clientId,
    expires_in: String(issued.expiresInSeconds),
    expires_on: String(issued.expiresOnSeconds),
    ext_expires_in: String(issued.expiresInSeconds),
    not_before: String(issued.notBeforeSeconds),
    resource,
    token_type: "Bearer",
  };
  sendJson(exchange, 200, body);
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleManagedIdentityRequest(exchange: Exchange, context: IdentityContext): boolean {
  // MSAL appends a slash to the IMDS path it builds from AZURE_POD_IDENTITY_AUTHORITY_HOST.
  const path = exchange.path.replace(/\/+$/, "");
  if (path === imdsTokenPath) {
    if (exchange.method !== "GET") {
      sendJson(exchange, 405, miError("invalid_request", "The IMDS token endpoint only accepts GET."));
    } else if (header(exchange, "metadata")?.toLowerCase() !== "true") {
      sendJson(exchange, 400, miError("invalid_request", "Required metadata header not specified"));
    } else {
      tokenResponse(exchange, context, "imds");
    }
    return true;
  }
  if (path === appServiceTokenPath) {
    const presented = header(exchange, "x-identity-header") ?? "";
    if (!sameSecret(presented, context.directory.state.appServiceIdentityHeader)) {
      sendJson(exchange, 401, miError("unauthorized_client", "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER."));
    } else {
      tokenResponse(exchange, context, "appService");
    }
    return true;
  }
  return false;
}
