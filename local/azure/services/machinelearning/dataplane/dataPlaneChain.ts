import { Exchange } from "../../../http/exchange";
import { pathSegments, PathParameters } from "../../../http/pathTemplate";
import { RequestLog } from "../../../http/requestLog";
import { FaultInjector } from "../../../faults/faultInjector";
import { AccessTokenService } from "../../../identity/accessTokens";
import { Directory } from "../../../identity/directory";
import { Logger } from "../../../logging";
import { SwaggerValidator } from "../../../validation/swaggerValidator";
import { composeChain, newRequestContext, RequestContext, RequestHandler } from "../../../chain/requestChain";
import { requestLogging } from "../../../chain/handlers/requestLogging";
import { respond } from "../../../chain/handlers/respond";
import { faultInjection } from "../../../chain/handlers/faultInjection";
import { AuthenticationProblem, bearerAuthentication } from "../../../chain/handlers/bearerAuthentication";
import { requestValidation, responseValidation } from "../../../chain/handlers/swaggerValidation";
import { DataPlaneError, dataPlaneErrors } from "./dataPlaneErrors";
import { DataPlaneRoute } from "./dataPlaneRoute";

/** The api-version run-history.json declares; AutoRest-era clients send none and mean it. */
export const runHistoryApiVersion = "v1.0";

/** Paths the Azure ML data plane serves on this port: run history and the /azureml/ endpoints (discovery, signed files). */
export function isDataPlanePath(path: string): boolean {
  const first = pathSegments(path)[0]?.toLowerCase();
  return first === "history" || first === "azureml";
}

interface DataPlaneContext extends RequestContext {
  route: DataPlaneRoute | undefined;
  params: PathParameters;
}

export interface DataPlaneChainDependencies {
  routes: readonly DataPlaneRoute[];
  tokens: AccessTokenService;
  directory: Directory;
  /** Application ID URIs whose tokens the data plane accepts. */
  audiences: readonly string[];
  faults: FaultInjector;
  validator: SwaggerValidator | undefined;
  requestLog: RequestLog;
  log: Logger;
}

function headerStrings(exchange: Exchange): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (typeof value === "string") headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(", ");
  }
  return headers;
}

/** The request as the validator sees it: without an api-version it is validated as v1.0, which AutoRest clients meant. */
function liveUrl(exchange: Exchange): string {
  const query = new URLSearchParams(exchange.url.search);
  if (!query.has("api-version")) query.set("api-version", runHistoryApiVersion);
  return `https://ml.azure.com${exchange.path}?${query.toString()}`;
}

function resolveRoute(routes: readonly DataPlaneRoute[]): RequestHandler<DataPlaneContext> {
  return async (context, next) => {
    const { exchange } = context;
    context.baseHeaders = { "x-ms-request-id": exchange.requestId, "x-ms-client-request-id": exchange.requestId };
    const segments = pathSegments(exchange.path);
    for (const route of routes) {
      const params = route.method === exchange.method ? route.match(segments) : undefined;
      if (!params) continue;
      context.route = route;
      context.params = params;
      context.operationId = route.operationId;
      if (route.inSwagger) context.liveRequest = { url: liveUrl(exchange), method: exchange.method, headers: headerStrings(exchange), body: undefined };
      break;
    }
    await next();
  };
}

function errorAnswers(log: Logger): RequestHandler<DataPlaneContext> {
  return async (context, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof DataPlaneError)) throw error;
      const { exchange } = context;
      context.answer = { status: error.status, body: error.body(), headers: { ...error.headers, "x-ms-error-code": error.innerCode ?? error.code } };
      log("warn", `${exchange.method} ${exchange.path} → ${error.status} ${error.code}: ${error.message}`);
    }
  };
}

function authenticationError(problem: AuthenticationProblem, audiences: readonly string[]): DataPlaneError {
  switch (problem.reason) {
    case "missingHeader":
      return dataPlaneErrors.unauthenticated("The request has no Authorization header.");
    case "notBearer":
      return dataPlaneErrors.unauthenticated("The Authorization header is not a bearer token.");
    case "expired":
      return dataPlaneErrors.unauthenticated(`The access token expired at ${new Date(problem.expiresOnSeconds * 1000).toISOString()}.`);
    case "audience":
      return dataPlaneErrors.unauthenticated(`The access token's audience '${problem.audience}' is not accepted here; request a token for ${audiences[0]}.`);
    default:
      return dataPlaneErrors.unauthenticated("The access token is invalid.");
  }
}

function invokeRoute(): RequestHandler<DataPlaneContext> {
  return async (context) => {
    const { route, exchange } = context;
    if (!route) throw dataPlaneErrors.notFound(`Nothing served at ${exchange.method} ${exchange.path}`);
    context.answer = await route.handler({ exchange, params: context.params, principal: context.principal });
  };
}

/**
 * The Azure ML data plane's chain: log, respond, routing, response validation (run-history.json),
 * faults ("azureml" target), its error shape, authentication for the routes that take a token, strict
 * request validation, the route.
 */
export function createDataPlaneChain(dependencies: DataPlaneChainDependencies): (exchange: Exchange) => Promise<void> {
  const { routes, tokens, directory, audiences, faults, validator, requestLog, log } = dependencies;
  const chain = composeChain<DataPlaneContext>([
    requestLogging(requestLog, { target: "azureml", withQuery: false }),
    respond(),
    resolveRoute(routes),
    responseValidation(validator),
    faultInjection(faults, log, {
      target: "azureml",
      afterProcessing: true,
      answer: (fault) => {
        const error =
          fault.kind === "throttle"
            ? dataPlaneErrors.throttled(fault.retryAfterSeconds)
            : fault.kind === "serviceUnavailable"
              ? dataPlaneErrors.unavailable(fault.retryAfterSeconds)
              : dataPlaneErrors.internal();
        return { status: error.status, body: error.body(), headers: error.headers };
      },
    }),
    errorAnswers(log),
    bearerAuthentication({
      tokens,
      directory,
      audiences,
      refuse: (problem) => authenticationError(problem, audiences),
      exempt: (context) => context.route?.authentication !== "bearer",
    }),
    requestValidation(validator, log, {
      outsideSwagger: () => false,
      unmatched: (context) =>
        dataPlaneErrors.invalidRequest(
          `No run-history operation matches ${context.exchange.method} ${context.exchange.path} at api-version '${context.exchange.query.get("api-version") ?? runHistoryApiVersion}'.`,
        ),
      refused: (_context, outcome) =>
        dataPlaneErrors.invalidRequest(
          `The request is invalid for operation '${outcome.operationId}': ${outcome.issues.map((issue) => `${issue.message}${issue.path ? ` (at '${issue.path}')` : ""}`).join("; ")}.`,
        ),
    }),
    invokeRoute(),
  ]);
  return (exchange) => chain({ ...newRequestContext(exchange), route: undefined, params: {} });
}
