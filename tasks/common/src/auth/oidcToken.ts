import { createHttpHeaders, createPipelineFromOptions, createPipelineRequest, type HttpClient, type PipelineResponse } from "@azure/core-rest-pipeline";
import * as tl from "azure-pipelines-task-lib/task";
import { EndpointFields } from "./endpointFields";
import { maskSecret } from "./secretMasking";

/** What a job needs to ask Azure DevOps for an OIDC token on behalf of one service connection. */
export interface OidcTokenSource {
  /** System.OidcRequestUri: the job's "Oidctoken - Create" endpoint. */
  requestUri: string;
  /** The job's access token (System.AccessToken). */
  accessToken: string;
  serviceConnectionId: string;
}

const OIDC_API_VERSION = "7.1";

/** Reads the job's OIDC endpoint and access token, or says clearly which is missing. */
export function readOidcTokenSource(serviceConnectionId: string): OidcTokenSource {
  const where = `Service connection '${serviceConnectionId}' uses workload identity federation, but`;
  const requestUri = tl.getVariable("System.OidcRequestUri")?.trim();
  if (!requestUri) {
    throw new Error(`${where} the agent gave no System.OidcRequestUri variable, which Azure DevOps Services sets for each job.`);
  }
  const accessToken = jobAccessToken();
  if (!accessToken) {
    throw new Error(`${where} the job's access token (System.AccessToken) is not available to the task.`);
  }
  maskSecret(accessToken);
  return { requestUri, accessToken, serviceConnectionId };
}

// Tasks receive the job token as the SystemVssConnection endpoint's AccessToken, which is what
// azure-arm-rest reads; the System.AccessToken variable is the fallback.
function jobAccessToken(): string | undefined {
  return new EndpointFields("SYSTEMVSSCONNECTION").secretAuthParameter("AccessToken") || tl.getVariable("System.AccessToken") || undefined;
}

/**
 * Asks Azure DevOps for a fresh OIDC token for the service connection (POST
 * System.OidcRequestUri?api-version=7.1&serviceConnectionId=…), and masks it.
 */
export async function requestOidcToken(source: OidcTokenSource, httpClient: HttpClient): Promise<string> {
  const url = new URL(source.requestUri);
  url.searchParams.set("api-version", OIDC_API_VERSION);
  url.searchParams.set("serviceConnectionId", source.serviceConnectionId);
  const request = createPipelineRequest({
    url: url.href,
    method: "POST",
    headers: createHttpHeaders({
      "Content-Type": "application/json",
      Authorization: `Bearer ${source.accessToken}`,
      // Azure DevOps answers an unauthenticated call with a sign-in redirect unless told not to.
      "X-TFS-FedAuthRedirect": "Suppress",
    }),
    body: "{}",
  });
  const pipeline = createPipelineFromOptions({});
  let response: PipelineResponse;
  try {
    response = await pipeline.sendRequest(httpClient, request);
  } catch (error) {
    throw new Error(`${failure(source)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const succeeded = response.status >= 200 && response.status < 300;
  const token = succeeded ? oidcTokenIn(response.bodyAsText) : undefined;
  if (!token) {
    const reason = succeeded ? ": the answer held no oidcToken." : serviceMessage(response.bodyAsText);
    throw new Error(`${failure(source)}: HTTP ${response.status}${reason}`);
  }
  maskSecret(token);
  return token;
}

function failure(source: OidcTokenSource): string {
  return `Could not get an OIDC token for service connection '${source.serviceConnectionId}' from Azure DevOps (${new URL(source.requestUri).origin})`;
}

function oidcTokenIn(body: string | null | undefined): string | undefined {
  const parsed = parseJson(body);
  const token = isRecord(parsed) ? parsed["oidcToken"] : undefined;
  return typeof token === "string" && token ? token : undefined;
}

// Azure DevOps errors are JSON with a "message"; anything else is quoted briefly.
function serviceMessage(body: string | null | undefined): string {
  if (!body?.trim()) return ".";
  const parsed = parseJson(body);
  const message = isRecord(parsed) && typeof parsed["message"] === "string" ? parsed["message"] : body.trim().slice(0, 300);
  return `: ${message}`;
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
