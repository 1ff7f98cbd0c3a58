import { randomUUID, timingSafeEqual } from "node:crypto";
import { Exchange, header, sendJson } from "../http/exchange";
import { compileTemplate, matchTemplate, pathSegments } from "../http/pathTemplate";
import { JsonObject } from "../state/json";
import { devOpsIssuer, devOpsSubject } from "./directory";
import { IdentityContext } from "./identityContext";
import { signJwt } from "./jwt";
import { jsonWebKeySet } from "./signingKey";

const oidcTokenTemplate = compileTemplate("/_devops/{organization}/{projectId}/_apis/distributedtask/hubs/build/plans/{planId}/jobs/{jobId}/oidctoken");
const supportedApiVersions = ["7.1", "7.1-preview.1", "7.2-preview.1"];
const oidcTokenLifetimeSeconds = 600;

/** The path part of System.OidcRequestUri for the one job this local organization runs. */
export function oidcRequestPath(context: IdentityContext): string {
  const devops = context.directory.state.devops;
  return `/_devops/${devops.organizationName}/${devops.projectId}/_apis/distributedtask/hubs/build/plans/${devops.planId}/jobs/${devops.jobId}/oidctoken`;
}

/** Azure DevOps answers errors with its own VSS exception shape. */
function vssError(typeKey: string, message: string): JsonObject {
  return {
    $id: "1",
    innerException: null,
    message,
    typeName: `Microsoft.VisualStudio.Services.Common.${typeKey}, Microsoft.VisualStudio.Services.Common`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  };
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function issueOidcToken(exchange: Exchange, context: IdentityContext): void {
  const devops = context.directory.state.devops;
  const headers = { "x-vss-e2eid": exchange.requestId, "x-msedge-ref": `Ref A: ${exchange.requestId}` };
  const authorization = header(exchange, "authorization") ?? "";
  const presented = authorization.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : "";
  if (!sameToken(presented, devops.jobAccessToken)) {
    sendJson(exchange, 401, vssError("UnauthorizedRequestException", "TF400813: The user '' is not authorized to access this resource."), headers);
    return;
  }
  const apiVersion = exchange.query.get("api-version");
  if (!apiVersion || !supportedApiVersions.includes(apiVersion)) {
    sendJson(
      exchange,
      400,
      vssError(
        "VssVersionOutOfRangeException",
        `The requested REST API version of ${apiVersion ?? "(none)"} is out of range for this server. The latest REST API version this server supports is 7.1.`,
      ),
      headers,
    );
    return;
  }
  const serviceConnectionId = exchange.query.get("serviceConnectionId") ?? "";
  const connection = devops.serviceConnections.find((candidate) => candidate.id.toLowerCase() === serviceConnectionId.toLowerCase());
  if (!connection) {
    sendJson(
      exchange,
      404,
      vssError("ServiceEndpointNotFoundException", `Service connection '${serviceConnectionId}' was not found or the job is not authorized to use it.`),
      headers,
    );
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const lifetime = Math.min(oidcTokenLifetimeSeconds, context.tokenLifetimeSeconds);
  const claims: JsonObject = {
    jti: randomUUID(),
    sub: devOpsSubject(devops, connection.name),
    aud: "api://AzureADTokenExchange",
    iss: devOpsIssuer(context.baseUrl, devops.organizationId),
    nbf: now,
    iat: now,
    exp: now + lifetime,
  };
  const oidcToken = signJwt({ kid: context.devOpsKey.keyId }, claims, context.devOpsKey.privateKey);
  context.log("info", `Azure DevOps issued an OIDC token for service connection ${connection.name}`);
  sendJson(exchange, 200, { oidcToken }, headers);
}

/** The Azure DevOps side of workload identity federation: the job's OIDC token endpoint and the issuer's discovery. */
export function handleDevOpsRequest(exchange: Exchange, context: IdentityContext): boolean {
  const segments = pathSegments(exchange.path);
  if (matchTemplate(oidcTokenTemplate, segments)) {
    if (exchange.path.toLowerCase() !== oidcRequestPath(context).toLowerCase()) {
      sendJson(exchange, 404, vssError("PlanNotFoundException", "The job or plan was not found."));
      return true;
    }
    if (exchange.method !== "POST") {
      sendJson(exchange, 405, vssError("MethodNotAllowedException", "The OIDC token endpoint only accepts POST."));
      return true;
    }
    issueOidcToken(exchange, context);
    return true;
  }
  const issuerPath = new URL(devOpsIssuer(context.baseUrl, context.directory.state.devops.organizationId)).pathname;
  if (exchange.method === "GET" && exchange.path === `${issuerPath}/.well-known/openid-configuration`) {
    const issuer = devOpsIssuer(context.baseUrl, context.directory.state.devops.organizationId);
    sendJson(exchange, 200, {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks`,
      subject_types_supported: ["public"],
      response_types_supported: ["id_token"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "nbf", "jti"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
    });
    return true;
  }
  if (exchange.method === "GET" && exchange.path === `${issuerPath}/.well-known/jwks`) {
    sendJson(exchange, 200, jsonWebKeySet([context.devOpsKey]));
    return true;
  }
  return false;
}
