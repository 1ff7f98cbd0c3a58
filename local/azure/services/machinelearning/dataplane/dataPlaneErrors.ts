import { HeaderMap } from "../../../http/exchange";
import { JsonObject } from "../../../state/json";

/**
 * An Azure ML data-plane refusal in the error shape run-history.json declares for every operation
 * (Azure.Core.Foundations.ErrorResponse, no other property allowed): `error.code` is one of run
 * history's broad codes (UserError, ServiceError, ValidationError, TransientError,
 * RequestThrottled) and `error.innererror.code` says what exactly; the x-ms-error-code header
 * repeats the latter.
 */
export class DataPlaneError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: HeaderMap = {},
  ) {
    super(message);
  }

  body(): JsonObject {
    const error: JsonObject = { code: this.code, message: this.message };
    if (this.innerCode) error.innererror = { code: this.innerCode };
    return { error };
  }
}

export const dataPlaneErrors = {
  notFound: (what: string) => new DataPlaneError(404, "UserError", `${what} was not found.`, "NotFoundError"),
  unauthenticated: (message: string) => new DataPlaneError(401, "UserError", message, "AuthenticationFailed"),
  forbidden: (message: string) => new DataPlaneError(403, "UserError", message, "AuthorizationFailed"),
  invalidRequest: (message: string) => new DataPlaneError(400, "ValidationError", message, "BadArgument"),
  throttled: (retryAfterSeconds: number) =>
    new DataPlaneError(429, "RequestThrottled", "The request was throttled; retry later.", "TooManyRequests", { "Retry-After": String(retryAfterSeconds) }),
  unavailable: (retryAfterSeconds: number) =>
    new DataPlaneError(503, "TransientError", "The service is temporarily unavailable; retry later.", "ServiceUnavailable", {
      "Retry-After": String(retryAfterSeconds),
    }),
  internal: () => new DataPlaneError(500, "ServiceError", "The service failed to process the request.", "InternalServerError"),
};
