import { randomUUID } from "node:crypto";
import { Exchange, header, HeaderMap, parseJsonBody, sendEmpty, sendJson } from "../http/exchange";
import { matchTemplate, PathParameters, pathSegments } from "../http/pathTemplate";
import { RequestLog } from "../http/requestLog";
import { AccessTokenService } from "../identity/accessTokens";
import { Directory, PrincipalRecord } from "../identity/directory";
import { FaultInjector, TransportFault } from "../faults/faultInjector";
import { SwaggerValidator, LiveMessage } from "../validation/swaggerValidator";
import { Logger } from "../logging";
import { ResourceStore } from "../state/resourceStore";
import { ArmError, armErrors } from "./armErrors";
import { ArmRequestContext, ArmResult, ArmRoute, resourceGroupId } from "./armRoute";
import { isAuthorized } from "./authorization";
import { availableLocations } from "./locations";
import { armBodyProblem } from "./armRequestRules";

export interface ArmPipelineSettings {
  baseUrl: string;
  authorityUrl: string;
  tenantId: string;
  subscriptionId: string;
  defaultLocation: string;
  acceptedAudiences: readonly string[];
}

export interface ArmPipelineDependencies {
  routes: readonly ArmRoute[];
  tokens: AccessTokenService;
  directory: Directory;
  store: ResourceStore;
  faults: FaultInjector;
  validator: SwaggerValidator | undefined;
  requestLog: RequestLog;
  log: Logger;
  settings: ArmPipelineSettings;
}

interface RouteMatch {
  route: ArmRoute;
  params: PathParameters;
}

const resourceGroupRouteType = "Microsoft.Resources/resourceGroups";

function stringHeaders(exchange: Exchange): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (typeof value === "string") headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(", ");
  }
  return headers;
}

function lowerCaseHeaders(headers: HeaderMap): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function headFromGet(route: ArmRoute): ArmRoute {
  return {
    ...route,
    method: "HEAD",
    outsideSwagger: route.outsideSwagger ?? "ARM answers HEAD on any resource itself; the providers' swaggers declare only the GET",
    handler: async (context) => {
      try {
        const result = await route.handler(context);
        return { status: result.status === 200 ? 204 : result.status, headers: result.headers };
      } catch (error) {
        if (error instanceof ArmError && error.status === 404) return { status: 404 };
        throw error;
      }
    },
  };
}

/**
 * Azure Resource Manager's front door: authentication, api-version, routing, RBAC, the resource
 * group check, swagger validation (strict mode) and fault injection, around the resource providers.
 */
export class ArmPipeline {
  constructor(private readonly dependencies: ArmPipelineDependencies) {}

  static isArmPath(path: string): boolean {
    const first = pathSegments(path)[0]?.toLowerCase();
    return first === "subscriptions" || first === "providers";
  }

  async handle(exchange: Exchange): Promise<void> {
    const { settings, requestLog, log } = this.dependencies;
    const correlationId = header(exchange, "x-ms-correlation-request-id") ?? randomUUID();
    const baseHeaders: HeaderMap = {
      "Cache-Control": "no-cache",
      Pragma: "no-cache",
      Expires: "-1",
      "x-ms-request-id": exchange.requestId,
      "x-ms-correlation-request-id": correlationId,
      "x-ms-routing-request-id": `LOCAL:${new Date().toISOString().replace(/[-:.]/g, "")}:${exchange.requestId}`,
      "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
      "X-Content-Type-Options": "nosniff",
    };
    if (exchange.method === "GET" || exchange.method === "HEAD") baseHeaders["x-ms-ratelimit-remaining-subscription-reads"] = "11999";
    else baseHeaders["x-ms-ratelimit-remaining-subscription-writes"] = "1199";

    const match = this.match(exchange);
    const operationId = match instanceof ArmError ? undefined : match.route.operationId;
    let principalName: string | undefined;
    const finish = (status: number, fault?: string) =>
      requestLog.add({
        time: new Date(exchange.receivedAt).toISOString(),
        target: "arm",
        method: exchange.method,
        path: exchange.path + exchange.url.search,
        operationId,
        status,
        principal: principalName,
        fault,
        durationMs: Date.now() - exchange.receivedAt,
      });

    const fault = this.dependencies.faults.transportFault({ target: "arm", method: exchange.method, path: exchange.path, operationId });
    if (fault && !fault.afterProcessing) {
      log("warn", `fault: ${fault.kind} on ${exchange.method} ${exchange.path} (${operationId ?? "no operation"})`);
      this.applyFault(exchange, fault, baseHeaders, correlationId);
      finish(fault.kind === "dropConnection" ? 0 : this.faultStatus(fault), fault.kind);
      return;
    }

    const liveRequest: LiveMessage = {
      url: `https://management.azure.com${exchange.path}${exchange.url.search}`,
      method: exchange.method,
      headers: stringHeaders(exchange),
      body: undefined,
    };
    let result: ArmResult;
    try {
      const principal = this.authenticate(exchange);
      principalName = principal.name;
      if (match instanceof ArmError) throw match;
      result = await this.dispatch(exchange, match, principal, correlationId, liveRequest);
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      result = { status: error.status, body: error.body(), headers: error.headers };
      if (error.status === 401) {
        result.headers = {
          ...result.headers,
          "WWW-Authenticate": `Bearer authorization_uri="${settings.authorityUrl}/${settings.tenantId}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
        };
      }
      log("warn", `${exchange.method} ${exchange.path} → ${error.status} ${error.code}: ${error.message}`);
    }

    if (fault?.afterProcessing) {
      log("warn", `fault: ${fault.kind} after processing ${exchange.method} ${exchange.path} (${operationId ?? "no operation"})`);
      this.applyFault(exchange, fault, baseHeaders, correlationId);
      finish(fault.kind === "dropConnection" ? 0 : this.faultStatus(fault), `${fault.kind} after processing`);
      return;
    }

    const headers = { ...baseHeaders, ...(result.headers ?? {}) };
    if (result.body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
    await this.validateResponse(liveRequest, result, headers, match instanceof ArmError ? undefined : match.route);
    if (result.body === undefined) sendEmpty(exchange, result.status, headers);
    else sendJson(exchange, result.status, result.body, headers);
    finish(result.status);
  }

  private faultStatus(fault: TransportFault): number {
    return fault.kind === "throttle" ? 429 : fault.kind === "serviceUnavailable" ? 503 : 500;
  }

  private applyFault(exchange: Exchange, fault: TransportFault, baseHeaders: HeaderMap, correlationId: string): void {
    if (fault.kind === "dropConnection") {
      exchange.request.socket.destroy();
      return;
    }
    const settings = this.dependencies.settings;
    const error =
      fault.kind === "throttle"
        ? armErrors.throttled(settings.subscriptionId, "unknown", fault.retryAfterSeconds)
        : fault.kind === "serviceUnavailable"
          ? armErrors.serviceUnavailable(fault.retryAfterSeconds)
          : armErrors.internalServerError(correlationId, settings.subscriptionId);
    sendJson(exchange, error.status, error.body(), { ...baseHeaders, ...error.headers });
  }

  private match(exchange: Exchange): RouteMatch | ArmError {
    const segments = pathSegments(exchange.path);
    const candidates: RouteMatch[] = [];
    for (const route of this.dependencies.routes) {
      const params = matchTemplate(route.template, segments);
      if (params) candidates.push({ route, params });
    }
    const byMethod = candidates.find((candidate) => candidate.route.method === exchange.method);
    if (byMethod) return byMethod;
    // ARM answers HEAD on any resource by asking its provider for a GET: 204 if it exists, 404 if not.
    const getForHead = exchange.method === "HEAD" ? candidates.find((candidate) => candidate.route.method === "GET") : undefined;
    if (getForHead) return { route: headFromGet(getForHead.route), params: getForHead.params };
    if (candidates.length > 0) {
      return new ArmError(405, "MethodNotAllowed", `The requested resource does not support http method '${exchange.method}'.`);
    }
    const providersIndex = segments.findIndex((segment) => segment.toLowerCase() === "providers");
    const namespace = providersIndex >= 0 ? segments[providersIndex + 1] : undefined;
    if (namespace) {
      const known = this.dependencies.routes.some((route) => route.resourceType.toLowerCase().startsWith(namespace.toLowerCase() + "/"));
      const apiVersion = exchange.query.get("api-version") ?? "";
      if (!known) return armErrors.invalidResourceNamespace(namespace);
      return armErrors.invalidResourceType(segments.slice(providersIndex + 2).filter((_, index) => index % 2 === 0).join("/"), namespace, apiVersion);
    }
    return armErrors.noRoute(exchange.method, exchange.path);
  }

  private authenticate(exchange: Exchange): PrincipalRecord {
    const { tokens, directory, settings } = this.dependencies;
    const authorization = header(exchange, "authorization");
    if (!authorization) throw armErrors.missingAuthorizationHeader();
    if (!authorization.toLowerCase().startsWith("bearer ")) {
      throw new ArmError(401, "AuthenticationFailedInvalidHeader", "Authentication failed. The 'Authorization' header is provided in an invalid format.");
    }
    const check = tokens.check(authorization.slice(7).trim(), settings.acceptedAudiences);
    if (!check.ok) {
      switch (check.reason) {
        case "expired":
          throw armErrors.expiredAuthenticationToken(new Date(check.expiresOnSeconds * 1000), new Date());
        case "audience":
          throw armErrors.invalidAudience(check.audience, settings.acceptedAudiences);
        case "notYetValid":
          throw armErrors.invalidAuthenticationToken(`The access token is not yet valid. It is valid from '${new Date(check.notBeforeSeconds * 1000).toISOString()}'.`);
        case "issuer":
          throw armErrors.invalidAuthenticationToken("The access token is from the wrong issuer. It must match the tenant associated with this subscription.");
        default:
          throw armErrors.invalidAuthenticationToken();
      }
    }
    const principal = directory.principalByObjectId(check.objectId);
    if (!principal) throw armErrors.invalidAuthenticationToken("The access token is from the wrong issuer. It must match the tenant associated with this subscription.");
    return principal;
  }

  private authorizationScope(route: ArmRoute, params: PathParameters, path: string): string {
    const decodedPath = pathSegments(path).map((segment) => decodeURIComponent(segment)).join("/");
    switch (route.scope) {
      case "path":
        return "/" + decodedPath;
      case "pathParent":
        return "/" + decodedPath.split("/").slice(0, -1).join("/");
      case "resourceGroup":
        return resourceGroupId(params);
      case "subscription":
        return `/subscriptions/${params.subscriptionId}`;
    }
  }

  private async dispatch(exchange: Exchange, match: RouteMatch, principal: PrincipalRecord, correlationId: string, liveRequest: LiveMessage): Promise<ArmResult> {
    const { route, params } = match;
    const { settings, store, validator } = this.dependencies;
    const apiVersion = exchange.query.get("api-version");
    if (!apiVersion) throw armErrors.missingApiVersion();
    const parsed = parseJsonBody(exchange);
    if (!parsed.ok) throw armErrors.invalidRequestContent(`The request content was invalid and could not be deserialized: '${parsed.message}'.`);
    if (route.apiVersions !== "any" && !route.apiVersions.includes(apiVersion)) {
      if (route.resourceType.startsWith("Microsoft.Resources/")) throw armErrors.invalidApiVersion(apiVersion, route.apiVersions);
      const typeWithoutNamespace = route.resourceType.split("/").slice(1).join("/");
      throw armErrors.noRegisteredProvider(this.locationFor(params, parsed.value), apiVersion, typeWithoutNamespace, route.apiVersions, availableLocations);
    }
    if (params.subscriptionId !== undefined && params.subscriptionId.toLowerCase() !== settings.subscriptionId.toLowerCase()) {
      throw armErrors.subscriptionNotFound(params.subscriptionId);
    }

    const context: ArmRequestContext = {
      operationId: route.operationId,
      method: route.method,
      path: exchange.path,
      params,
      query: exchange.query,
      apiVersion,
      body: parsed.value,
      principal,
      requestId: exchange.requestId,
      correlationId,
    };

    const scope = this.authorizationScope(route, params, exchange.path);
    const allowed = route.authorize ? route.authorize(context) : isAuthorized(principal, route.action, scope);
    if (!allowed) throw armErrors.authorizationFailed(principal.clientId, principal.objectId, route.action, scope);

    if (params.resourceGroupName !== undefined && route.resourceType !== resourceGroupRouteType && !store.has(resourceGroupId(params))) {
      throw armErrors.resourceGroupNotFound(params.resourceGroupName);
    }

    // ARM's own rules hold in every mode: they are the front door's, not the swagger's.
    const armProblem = armBodyProblem(exchange.method, parsed.value);
    if (armProblem) {
      validator?.count("refused");
      throw armProblem;
    }
    liveRequest.body = parsed.value;
    if (validator) await this.validateRequest(validator, route, liveRequest, apiVersion);
    return route.handler(context);
  }

  /** Strict mode: the request must match a loaded swagger operation and satisfy it. */
  private async validateRequest(validator: SwaggerValidator, route: ArmRoute, liveRequest: LiveMessage, apiVersion: string): Promise<void> {
    if (route.outsideSwagger) return;
    const outcome = await validator.validateRequest(liveRequest);
    if (!outcome.matched) {
      // No pinned swagger describes this request, so nothing can vouch for it: ARM would not know
      // the type at this api-version either.
      validator.count("unmatched");
      this.dependencies.log("warn", `strict: ${liveRequest.method} ${liveRequest.url} matches no loaded swagger operation (route ${route.operationId}); refused`);
      const [namespace, ...type] = route.resourceType.split("/");
      throw armErrors.invalidResourceType(type.join("/"), namespace, apiVersion);
    }
    if (outcome.issues.length === 0) {
      validator.count("passed");
      return;
    }
    validator.count("refused");
    const first = outcome.issues[0];
    this.dependencies.log("warn", `strict: request of ${outcome.operationId} refused: ${outcome.issues.map((issue) => `${issue.code} ${issue.path} ${issue.message}`).join("; ")}`);
    const details = outcome.issues.map((issue) => ({ code: issue.code, message: issue.message, target: issue.path }));
    const inBody = outcome.issues.every((issue) => issue.location === "body");
    const message = `The request is invalid for operation '${outcome.operationId}': ${first.message}${first.path ? ` (at '${first.path}')` : ""}.`;
    throw inBody ? armErrors.invalidRequestContent(message, details) : armErrors.invalidParameter(message, details);
  }

  private locationFor(params: PathParameters, body: unknown): string {
    if (typeof body === "object" && body !== null && typeof (body as { location?: unknown }).location === "string") {
      return (body as { location: string }).location;
    }
    if (params.resourceGroupName) {
      const group = this.dependencies.store.get(resourceGroupId(params));
      const location = group?.body.location;
      if (typeof location === "string") return location;
    }
    return this.dependencies.settings.defaultLocation;
  }

  private async validateResponse(liveRequest: LiveMessage, result: ArmResult, headers: HeaderMap, route: ArmRoute | undefined): Promise<void> {
    const validator = this.dependencies.validator;
    if (!validator || !route) return;
    const outcome = await validator.validateResponse(liveRequest, result.status, lowerCaseHeaders(headers), result.body);
    if (outcome.matched && outcome.issues.length > 0) {
      validator.record({
        time: new Date().toISOString(),
        operationId: outcome.operationId ?? route.operationId,
        method: liveRequest.method,
        url: liveRequest.url,
        statusCode: result.status,
        issues: outcome.issues,
      });
    }
  }
}
