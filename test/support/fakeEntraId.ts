import { randomUUID } from "node:crypto";
import type { RecordedRequest, TestResponse, TestServer } from "./httpsTestServer";

/** An app registration the fake directory knows. Assertions are accepted as sent; tests check them. */
export interface FakeApp {
  clientId: string;
  secret?: string;
}

export interface FakeDirectory {
  tenantId: string;
  apps: FakeApp[];
  /** Lifetime of issued access tokens; under MSAL's 5-minute refresh margin, every getToken fetches anew. */
  tokenLifetimeSeconds?: number;
}

/** Entra ID's v2.0 OpenID configuration and token endpoints, answering the way Entra answers. */
export function serveEntraId(server: TestServer, directory: FakeDirectory): void {
  const tenant = directory.tenantId;
  let issued = 0;
  // Endpoints are given under the host the client asked for, as Entra does, so a client that
  // came through a proxy by name keeps going through it.
  server.route("GET", new RegExp(`^/${tenant}/v2\\.0/\\.well-known/openid-configuration$`), (request) => {
    const origin = `https://${request.headers.host ?? new URL(server.origin).host}`;
    return {
      status: 200,
      body: {
        issuer: `${origin}/${tenant}/v2.0`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      },
    };
  });
  server.route("POST", new RegExp(`^/${tenant}/oauth2/v2\\.0/token$`), (request) => {
    const form = new URLSearchParams(request.body);
    const app = directory.apps.find((candidate) => candidate.clientId === form.get("client_id"));
    if (!app) {
      return entraError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${form.get("client_id")}' was not found in the directory '${tenant}'.`,
      );
    }
    const secret = form.get("client_secret");
    if (secret !== null && secret !== app.secret) {
      return entraError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    }
    issued += 1;
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: directory.tokenLifetimeSeconds ?? 3599,
        ext_expires_in: directory.tokenLifetimeSeconds ?? 3599,
        access_token: `access-token-${issued}`,
      },
    };
  });
}

function entraError(status: number, error: string, code: number, description: string): TestResponse {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const DEVOPS_OIDC_PATH = "/org/00000000-0000-0000-0000-00000000000a/_apis/distributedtask/hubs/build/plans/plan-1/jobs/job-1/oidctoken";

/** Controls and records the fake Azure DevOps OIDC endpoint. */
export interface FakeOidcIssuer {
  requestUri: string;
  /** Every token issued, in order. */
  issued: string[];
  /** Lifetime of the next tokens (their `exp` claim). */
  lifetimeSeconds: number;
}

/**
 * Azure DevOps' "Oidctoken - Create" endpoint for one job. Tokens are JWT-shaped (unsigned;
 * Entra is faked too) with the claims Azure DevOps puts in them, and a counter in `jti`.
 */
export function serveDevOpsOidc(server: TestServer, jobAccessToken: string): FakeOidcIssuer {
  const issuer: FakeOidcIssuer = { requestUri: `${server.origin}${DEVOPS_OIDC_PATH}`, issued: [], lifetimeSeconds: 600 };
  server.route("POST", new RegExp(`^${DEVOPS_OIDC_PATH}$`), (request: RecordedRequest) => {
    if (request.headers.authorization !== `Bearer ${jobAccessToken}`) {
      return {
        status: 401,
        body: {
          $id: "1",
          innerException: null,
          message: "TF400813: The user '' is not authorized to access this resource.",
          typeName: "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException",
          typeKey: "UnauthorizedRequestException",
          errorCode: 0,
          eventId: 3000,
        },
      };
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: "https://vstoken.dev.azure.com/00000000-0000-0000-0000-00000000000a",
      sub: `sc://org/project/${request.url.searchParams.get("serviceConnectionId")}`,
      aud: "api://AzureADTokenExchange",
      iat: now,
      nbf: now,
      exp: now + issuer.lifetimeSeconds,
      jti: `oidc-${issuer.issued.length + 1}`,
    };
    const token = [{ typ: "JWT", alg: "RS256" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".c2lnbmF0dXJl";
    issuer.issued.push(token);
    return { status: 200, body: { oidcToken: token } };
  });
  return issuer;
}

export const IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";

/** The instance metadata service's managed identity token endpoint (plain HTTP, like IMDS). */
export function serveImds(server: TestServer): void {
  let issued = 0;
  // MSAL asks for the path with a trailing slash; IMDS answers both.
  server.route("GET", new RegExp(`^${IMDS_TOKEN_PATH}/?$`), (request) => {
    if (request.headers["metadata"] !== "true") {
      return { status: 400, body: { error: "invalid_request", error_description: "Required metadata header not specified" } };
    }
    issued += 1;
    const expiresOn = Math.floor(Date.now() / 1000) + 3599;
    return {
      status: 200,
      body: {
        access_token: `mi-access-token-${issued}`,
        client_id: request.url.searchParams.get("client_id") ?? "system-assigned",
        expires_in: "3599",
        expires_on: String(expiresOn),
        ext_expires_in: "3599",
        not_before: String(expiresOn - 3599),
        resource: request.url.searchParams.get("resource") ?? "",
        token_type: "Bearer",
      },
    };
  });
}
