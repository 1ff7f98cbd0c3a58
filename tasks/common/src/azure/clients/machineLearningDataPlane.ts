import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { AzureSession } from "../azureSession";
import type { WorkspaceScope } from "./machineLearningControlPlane";

/** A run's details as the run-history service gives them (Runs_GetDetails, the fields the tasks read). */
export interface RunDetails {
  runId?: string;
  /** NotStarted, Queued, Preparing, Provisioning, Starting, Running, Finalizing, CancelRequested, Completed, Failed, Canceled… */
  status?: string;
  /** Log file name → a SAS URL to read it with. */
  logFiles: Record<string, string>;
  warnings: string[];
  /** The service's error for a failed run. */
  error?: { code?: string; message?: string };
}

/** The workspace a data-plane client reads: its ARM path, and where its services are listed. */
export interface DataPlaneWorkspace extends WorkspaceScope {
  /** The workspace's properties.discoveryUrl. */
  discoveryUrl: string;
}

/**
 * The Azure ML data plane of one workspace, as azure-ai-ml reaches it: the discovery document
 * (GET discoveryUrl, no token) names the `api` host; run history lives under it and takes ARM
 * tokens; log files are read from the SAS URLs run history hands out, with no token of ours (a
 * SAS URL carries its own authorization, and storage refuses a second one). Proxy, CA and
 * retries are the session's.
 */
export class MachineLearningDataPlane {
  private readonly authorized: Pipeline;
  private readonly anonymous: Pipeline;
  private readonly httpClient: HttpClient;
  private apiUrl: Promise<string> | undefined;

  constructor(
    session: AzureSession,
    readonly workspace: DataPlaneWorkspace,
  ) {
    this.httpClient = session.pipeline.httpClient ?? createDefaultHttpClient();
    const options = { retryOptions: session.pipeline.retryOptions };
    this.anonymous = createPipelineFromOptions(options);
    this.authorized = createPipelineFromOptions(options);
    this.authorized.addPolicy(bearerTokenAuthenticationPolicy({ credential: session.credential, scopes: session.scopes.machineLearning }));
  }

  /** The `api` URL of the workspace's discovery document; asked once per client. */
  api(): Promise<string> {
    this.apiUrl ??= this.discover().catch((error: unknown) => {
      this.apiUrl = undefined;
      throw error;
    });
    return this.apiUrl;
  }

  /** GET {api}/history/v1.0/{workspace}/runs/{runId}/details */
  async runDetails(runId: string): Promise<RunDetails> {
    const { subscriptionId, resourceGroup, name } = this.workspace;
    const path =
      `/history/v1.0/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}` +
      `/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(name)}/runs/${encodeURIComponent(runId)}/details`;
    const response = await this.send(this.authorized, `${(await this.api()).replace(/\/+$/, "")}${path}`, "the run history service");
    return toRunDetails(parseJson(response, "the run history service"));
  }

  /** The whole text of a log file, from its SAS URL. */
  async downloadText(sasUrl: string): Promise<string> {
    return (await this.send(this.anonymous, sasUrl, "the log storage")).bodyAsText ?? "";
  }

  private async discover(): Promise<string> {
    const source = `the workspace's discovery document (${withoutQuery(this.workspace.discoveryUrl)})`;
    const body = parseJson(await this.send(this.anonymous, this.workspace.discoveryUrl, source), source);
    const api = isRecord(body) ? body["api"] : undefined;
    if (typeof api !== "string" || !/^https?:\/\//i.test(api)) {
      throw new RestError(`${capitalize(source)} names no 'api' service URL.`, { code: "NoApiUrl" });
    }
    return api;
  }

  private async send(pipeline: Pipeline, url: string, service: string): Promise<PipelineResponse> {
    const request = createPipelineRequest({ url, method: "GET", headers: createHttpHeaders({ Accept: "application/json, text/plain" }) });
    const response = await pipeline.sendRequest(this.httpClient, request);
    if (response.status >= 200 && response.status < 300) return response;
    const error = serviceError(response.bodyAsText ?? undefined);
    throw new RestError(error.message ?? `${capitalize(service)} answered HTTP ${response.status}.`, { statusCode: response.status, code: error.code });
  }
}

function toRunDetails(body: unknown): RunDetails {
  const record = isRecord(body) ? body : {};
  const logFiles: Record<string, string> = {};
  if (isRecord(record.logFiles)) {
    for (const [name, url] of Object.entries(record.logFiles)) if (typeof url === "string") logFiles[name] = url;
  }
  const warnings = Array.isArray(record.warnings)
    ? record.warnings.map((warning) => (isRecord(warning) && typeof warning.message === "string" ? warning.message : "")).filter(Boolean)
    : [];
  // RunHistoryErrorResponse: { error: RootError { code, message, … }, correlation, … }
  const root = isRecord(record.error) ? (isRecord(record.error.error) ? record.error.error : record.error) : undefined;
  const error = root ? { code: stringOrUndefined(root.code), message: stringOrUndefined(root.message) } : undefined;
  return { runId: stringOrUndefined(record.runId), status: stringOrUndefined(record.status), logFiles, warnings, error };
}

// ARM-style { error: { code, message } }, or a bare { code, message }; anything else is quoted briefly.
function serviceError(text: string | undefined): { code?: string; message?: string } {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    const brief = text?.trim().slice(0, 300);
    return brief ? { message: brief } : {};
  }
  const root = isRecord(body) ? (isRecord(body.error) ? body.error : body) : {};
  return { code: stringOrUndefined(root.code), message: stringOrUndefined(root.message) };
}

function parseJson(response: PipelineResponse, source: string): unknown {
  try {
    return JSON.parse(response.bodyAsText ?? "");
  } catch {
    throw new RestError(`${capitalize(source)} answered with something that is not JSON.`, { statusCode: response.status, code: "InvalidJson" });
  }
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, "");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
