import { randomUUID } from "node:crypto";
import { Exchange, header, parseJsonBody } from "../http/exchange";
import { matchTemplate, PathParameters, pathSegments } from "../http/pathTemplate";
import { RequestLog } from "../http/requestLog";
import { AccessTokenService } from "../identity/accessTokens";
import { Directory } from "../identity/directory";
import { FaultInjector, TransportFault } from "../faults/faultInjector";
import { SwaggerValidator, ValidationOutcome } from "../validation/swaggerValidator";
import { Answer, composeChain, newRequestContext, RequestContext, RequestHandler } from "../chain/requestChain";
import { requestLogging } from "../chain/handlers/requestLogging";
import { respond } from "../chain/handlers/respond";
import { faultInjection } from "../chain/handlers/faultInjection";
import { AuthenticationProblem, bearerAuthentication } from "../chain/handlers/bearerAuthentication";
import { requestValidation, responseValidation } from "../chain/handlers/swaggerValidation";
import { Logger } from "../logging";
import { ResourceStore } from "../state/resourceStore";
import { ArmError, armErrors } from "./armErrors";
import { ArmRequestContext, ArmRoute, resourceGroupId } from "./armRoute";
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

/** ARM's state of one request, beside what every service's chain shares. */
interface ArmContext extends RequestContext {
  correlationId: string;
  /** The route the path names, or ARM's refusal of the path (thrown once the caller is authenticated). */
  match: RouteMatch | ArmError;
  apiVersion: string;
  /** What the resource provider's route gets, once ARM's checks passed. */
  request: ArmRequestContext | undefined;
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
 * Azure Resource Manager's front door, as one request chain composed once: log, respond, route
 * resolution (which names the operation), response validation, faults, ARM's error shape,
 * authentication, ARM's own checks (api-version, subscription, RBAC, resource group, ARM's body
 * rules), strict request validation, and the resource provider's route.
 */
export class ArmPipeline {
  private readonly chain: (context: ArmContext) => Promise<void>;

  constructor(private readonly dependencies: ArmPipelineDependencies) {
    const { faults, validator, requestLog, log, tokens, directory, settings } = dependencies;
    const handlers: RequestHandler<ArmContext>[] = [
      requestLogging(requestLog, { target: "arm", withQuery: true }),
      respond(),
      this.resolveRoute(),
      responseValidation(validator),
      faultInjection(faults, log, { target: "arm", afterProcessing: true, answer: (fault, context) => this.faultAnswer(fault, context) }),
      this.armErrorAnswers(),
      bearerAuthentication({ tokens, directory, audiences: settings.acceptedAudiences, refuse: (problem) => this.authenticationError(problem) }),
      this.armChecks(),
      requestValidation(validator, log, {
        outsideSwagger: (context) => this.routeOf(context).outsideSwagger !== undefined,
        unmatched: (context) => {
          const [namespace, ...type] = this.routeOf(context).resourceType.split("/");
          return armErrors.invalidResourceType(type.join("/"), namespace, context.apiVersion);
        },
        refused: (_context, outcome) => this.refusal(outcome),
      }),
      this.invokeRoute(),
    ];
    this.chain = composeChain(handlers);
  }

  static isArmPath(path: string): boolean {
    const first = pathSegments(path)[0]?.toLowerCase();
    return first === "subscriptions" || first === "providers";
  }

  async handle(exchange: Exchange): Promise<void> {
    const correlationId = header(exchange, "x-ms-correlation-request-id") ?? randomUUID();
    await this.chain({
      ...newRequestContext(exchange),
      correlationId,
      match: armErrors.noRoute(exchange.method, exchange.path),
      apiVersion: "",
      request: undefined,
    });
  }

  private routeOf(context: ArmContext): ArmRoute {
    if (context.match instanceof ArmError) throw new Error("ARM's chain reached a routed step without a route");
    return context.match.route;
  }

  /** ARM's headers, and the route (so the operation is named for the log and the fault rules). */
  private resolveRoute(): RequestHandler<ArmContext> {
    return async (context, next) => {
      const { exchange } = context;
      context.baseHeaders = {
        "Cache-Control": "no-cache",
        Pragma: "no-cache",
        Expires: "-1",
        "x-ms-request-id": exchange.requestId,
        "x-ms-correlation-request-id": context.correlationId,
        "x-ms-routing-request-id": `LOCAL:${new Date().toISOString().replace(/[-:.]/g, "")}:${exchange.requestId}`,
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
      };
      if (exchange.method === "GET" || exchange.method === "HEAD") context.baseHeaders["x-ms-ratelimit-remaining-subscription-reads"] = "11999";
      else context.baseHeaders["x-ms-ratelimit-remaining-subscription-writes"] = "1199";
      context.match = this.match(exchange);
      if (!(context.match instanceof ArmError)) {
        context.operationId = context.match.route.operationId;
        context.liveRequest = {
          url: `https://management.azure.com${exchange.path}${exchange.url.search}`,
          method: exchange.method,
          headers: stringHeaders(exchange),
          body: undefined,
        };
      }
      await next();
    };
  }

  private faultAnswer(fault: TransportFault, context: ArmContext): Answer {
    const settings = this.dependencies.settings;
    const error =
      fault.kind === "throttle"
        ? armErrors.throttled(settings.subscriptionId, "unknown", fault.retryAfterSeconds)
        : fault.kind === "serviceUnavailable"
          ? armErrors.serviceUnavailable(fault.retryAfterSeconds)
          : armErrors.internalServerError(context.correlationId, settings.subscriptionId);
    return { status: error.status, body: error.body(), headers: error.headers ?? {} };
  }

  /** ARM's error shape for whatever a later step refused; a 401 says how to authenticate. */
  private armErrorAnswers(): RequestHandler<ArmContext> {
    const { settings, log } = this.dependencies;
    return async (context, next) => {
      try {
        await next();
      } catch (error) {
        if (!(error instanceof ArmError)) throw error;
        const { exchange } = context;
        context.answer = { status: error.status, body: error.body(), headers: error.headers };
        if (error.status === 401) {
          context.answer.headers = {
            ...context.answer.headers,
            "WWW-Authenticate": `Bearer authorization_uri="${settings.authorityUrl}/${settings.tenantId}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
          };
        }
        log("warn", `${exchange.method} ${exchange.path} → ${error.status} ${error.code}: ${error.message}`);
      }
    };
  }

  private authenticationError(problem: AuthenticationProblem): ArmError {
    const settings = this.dependencies.settings;
    const wrongIssuer = "The access token is from the wrong issuer. It must match the tenant associated with this subscription.";
    switch (problem.reason) {
      case "missingHeader":
        return armErrors.missingAuthorizationHeader();
      case "notBearer":
        return new ArmError(401, "AuthenticationFailedInvalidHeader", "Authentication failed. The 'Authorization' header is provided in an invalid format.");
      case "expired":
        return armErrors.expiredAuthenticationToken(new Date(problem.expiresOnSeconds * 1000), new Date());
      case "audience":
        return armErrors.invalidAudience(problem.audience, settings.acceptedAudiences);
      case "notYetValid":
        return armErrors.invalidAuthenticationToken(
          `The access token is not yet valid. It is valid from '${new Date(problem.notBeforeSeconds * 1000).toISOString()}'.`,
        );
      case "issuer":
      case "unknownPrincipal":
        return armErrors.invalidAuthenticationToken(wrongIssuer);
      default:
        return armErrors.invalidAuthenticationToken();
    }
  }

  private authorizationScope(route: ArmRoute, params: PathParameters, path: string): string {
    const decodedPath = pathSegments(path)
      .map((segment) => decodeURIComponent(segment))
      .join("/");
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

  /**
   * What ARM itself checks once the caller is known, before any swagger: the path names a route,
   * the api-version is served, the subscription is this one, RBAC allows the action, the resource
   * group exists, and the body keeps ARM's own rules (which hold in every mode).
   */
  private armChecks(): RequestHandler<ArmContext> {
    return async (context, next) => {
      const { exchange, match } = context;
      const principal = context.principal;
      if (match instanceof ArmError) throw match;
      if (!principal) throw new Error("ARM's chain reached its checks without a principal");
      const { route, params } = match;
      const { settings, store, validator } = this.dependencies;
      const apiVersion = exchange.query.get("api-version");
      if (!apiVersion) throw armErrors.missingApiVersion();
      context.apiVersion = apiVersion;
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

      const request: ArmRequestContext = {
        operationId: route.operationId,
        method: route.method,
        path: exchange.path,
        params,
        query: exchange.query,
        apiVersion,
        body: parsed.value,
        principal,
        requestId: exchange.requestId,
        correlationId: context.correlationId,
      };
      context.request = request;

      const scope = this.authorizationScope(route, params, exchange.path);
      const allowed = route.authorize ? route.authorize(request) : isAuthorized(principal, route.action, scope);
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
      if (context.liveRequest) context.liveRequest.body = parsed.value;
      await next();
    };
  }

  private invokeRoute(): RequestHandler<ArmContext> {
    return async (context) => {
      const request = context.request;
      if (!request) throw new Error("ARM's chain reached the route without its checks");
      context.answer = await this.routeOf(context).handler(request);
    };
  }

  private refusal(outcome: ValidationOutcome): ArmError {
    const first = outcome.issues[0];
    const details = outcome.issues.map((issue) => ({ code: issue.code, message: issue.message, target: issue.path }));
    const inBody = outcome.issues.every((issue) => issue.location === "body");
    const message = `The request is invalid for operation '${outcome.operationId}': ${first.message}${first.path ? ` (at '${first.path}')` : ""}.`;
    return inBody ? armErrors.invalidRequestContent(message, details) : armErrors.invalidParameter(message, details);
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
      return armErrors.invalidResourceType(
        segments
          .slice(providersIndex + 2)
          .filter((_, index) => index % 2 === 0)
          .join("/"),
        namespace,
        apiVersion,
      );
    }
    return armErrors.noRoute(exchange.method, exchange.path);
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
}
