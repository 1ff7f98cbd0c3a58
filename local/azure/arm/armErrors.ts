import { JsonObject } from "../state/json";
import { HeaderMap } from "../http/exchange";

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/** ARM's error contract: {"error":{"code","message"[,"target","details"]}} with an HTTP status. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ArmErrorDetail[] = [],
    readonly headers: HeaderMap = {},
  ) {
    super(message);
  }

  body(): JsonObject {
    const error: JsonObject = { code: this.code, message: this.message };
    if (this.details.length > 0) {
      error.details = this.details.map((detail) => {
        const entry: JsonObject = { code: detail.code, message: detail.message };
        if (detail.target !== undefined) entry.target = detail.target;
        return entry;
      });
    }
    return { error };
  }
}

/** ARM prints times in its messages like .NET's en-US DateTime: 11/25/2026 1:02:03 PM. */
/** 400 UserError: what Azure ML answers for a request whose content it refuses. */
export function userError(message: string): ArmError {
  return new ArmError(400, "UserError", message);
}

export function armTimestamp(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

export const armErrors = {
  missingAuthorizationHeader: () => new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
  invalidAuthenticationToken: (message = "The access token is invalid.") => new ArmError(401, "InvalidAuthenticationToken", message),
  expiredAuthenticationToken: (expiresOn: Date, now: Date) =>
    new ArmError(
      401,
      "ExpiredAuthenticationToken",
      `The access token expiry UTC time '${armTimestamp(expiresOn)}' is earlier than current UTC time '${armTimestamp(now)}'.`,
    ),
  invalidAudience: (audience: string, allowed: readonly string[]) =>
    new ArmError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed.map((value) => `'${value}'`).join(",")}.`,
    ),
  missingApiVersion: () => new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (apiVersion: string, supported: readonly string[]) =>
    new ArmError(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(",")}'.`),
  noRegisteredProvider: (location: string, apiVersion: string, resourceType: string, supported: readonly string[], locations: readonly string[]) =>
    new ArmError(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${supported.join(", ")}'. The supported locations are '${locations.join(", ")}'.`,
    ),
  invalidResourceNamespace: (namespace: string) => new ArmError(400, "InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`),
  invalidResourceType: (resourceType: string, namespace: string, apiVersion: string) =>
    new ArmError(
      400,
      "InvalidResourceType",
      `The resource type '${resourceType}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    ),
  noRoute: (method: string, path: string) =>
    new ArmError(404, "NotFound", `No HTTP resource was found that matches the request URI '${path}' for method '${method}'.`),
  subscriptionNotFound: (subscriptionId: string) => new ArmError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`),
  resourceGroupNotFound: (name: string) => new ArmError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`),
  resourceNotFound: (typeAndName: string, resourceGroup: string) =>
    new ArmError(
      404,
      "ResourceNotFound",
      `The Resource '${typeAndName}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  authorizationFailed: (clientId: string, objectId: string, action: string, scope: string) =>
    new ArmError(
      403,
      "AuthorizationFailed",
      `The client '${clientId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  invalidRequestContent: (message: string, details: ArmErrorDetail[] = []) => new ArmError(400, "InvalidRequestContent", message, details),
  invalidParameter: (message: string, details: ArmErrorDetail[] = []) => new ArmError(400, "InvalidParameter", message, details),
  locationNotAvailable: (location: string, resourceType: string, locations: readonly string[]) =>
    new ArmError(
      400,
      "LocationNotAvailableForResourceType",
      `The provided location '${location}' is not available for resource type '${resourceType}'. List of available regions for the resource type is '${locations.join(",")}'.`,
    ),
  locationNotAvailableForResourceGroup: (location: string, locations: readonly string[]) =>
    new ArmError(
      400,
      "LocationNotAvailableForResourceGroup",
      `The provided location '${location}' is not available for resource group. List of available regions is '${locations.join(",")}'.`,
    ),
  invalidResourceGroupLocation: (existing: string, requested: string) =>
    new ArmError(
      409,
      "InvalidResourceGroupLocation",
      `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'.`,
    ),
  invalidResourceLocation: (name: string, existing: string, requested: string) =>
    new ArmError(
      409,
      "InvalidResourceLocation",
      `The resource '${name}' already exists in location '${existing}' in resource group. A resource with the same name cannot be created in location '${requested}'. Please select a new resource name.`,
    ),
  /** `statusUrl`: the running operation's status URL, which ARM's message names. */
  anotherOperationInProgress: (statusUrl: string) =>
    new ArmError(
      409,
      "AnotherOperationInProgress",
      `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${statusUrl}`,
    ),
  throttled: (subscriptionId: string, objectId: string, retryAfterSeconds: number) =>
    new ArmError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of requests for subscription '${subscriptionId}' and operation type for actor '${objectId}' exceeded the backend storage limit. Please try again after '${retryAfterSeconds}' seconds.`,
      [],
      { "Retry-After": String(retryAfterSeconds) },
    ),
  internalServerError: (correlationId: string, subscriptionId: string) =>
    new ArmError(
      500,
      "InternalServerError",
      `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', subscription id '${subscriptionId}', tracking id '${correlationId}', request correlation id '${correlationId}'.`,
    ),
  serviceUnavailable: (retryAfterSeconds: number) =>
    new ArmError(
      503,
      "ServiceUnavailable",
      "The server is currently unable to handle the request due to a temporary overload or maintenance. Please try again later.",
      [],
      { "Retry-After": String(retryAfterSeconds) },
    ),
};
