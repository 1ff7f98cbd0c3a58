import { HeaderMap } from "../../http/exchange";
import { Logger } from "../../logging";
import { SwaggerValidator, ValidationOutcome } from "../../validation/swaggerValidator";
import { answerHeaders, RequestContext, RequestHandler } from "../requestChain";

export interface RequestValidationOptions<C extends RequestContext> {
  /** Whether this request is served although no loaded swagger describes it (then it is not checked). */
  outsideSwagger: (context: C) => boolean;
  /** The service's refusal of a request no loaded swagger operation matches. */
  unmatched: (context: C) => Error;
  /** The service's refusal of a request its swagger operation does not accept. */
  refused: (context: C, outcome: ValidationOutcome) => Error;
}

function lowerCaseHeaders(headers: HeaderMap): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * Strict mode: the request must match a loaded swagger operation and satisfy it, or it is refused
 * as the service refuses it. Counted in `validationCounts()`. Does nothing without a validator.
 */
export function requestValidation<C extends RequestContext>(
  validator: SwaggerValidator | undefined,
  log: Logger,
  options: RequestValidationOptions<C>,
): RequestHandler<C> {
  return async (context, next) => {
    const liveRequest = context.liveRequest;
    if (validator && liveRequest && !options.outsideSwagger(context)) {
      const outcome = await validator.validateRequest(liveRequest);
      if (!outcome.matched) {
        // No pinned swagger describes this request, so nothing can vouch for it.
        validator.count("unmatched");
        log("warn", `strict: ${liveRequest.method} ${liveRequest.url} matches no loaded swagger operation (route ${context.operationId ?? "none"}); refused`);
        throw options.unmatched(context);
      }
      if (outcome.issues.length > 0) {
        validator.count("refused");
        log(
          "warn",
          `strict: request of ${outcome.operationId} refused: ${outcome.issues.map((issue) => `${issue.code} ${issue.path} ${issue.message}`).join("; ")}`,
        );
        throw options.refused(context, outcome);
      }
      validator.count("passed");
    }
    await next();
  };
}

/**
 * Strict mode: the service's answer must satisfy its swagger; each one that does not is recorded as
 * a violation (a bug of the emulator). Answers of injected faults are not the service's and are skipped.
 */
export function responseValidation<C extends RequestContext>(validator: SwaggerValidator | undefined): RequestHandler<C> {
  return async (context, next) => {
    await next();
    const { liveRequest, answer } = context;
    if (!validator || !liveRequest || !answer || context.fault !== undefined || context.dropped) return;
    const outcome = await validator.validateResponse(liveRequest, answer.status, lowerCaseHeaders(answerHeaders(context, answer)), answer.body);
    if (outcome.matched && outcome.issues.length > 0) {
      validator.record({
        time: new Date().toISOString(),
        operationId: outcome.operationId ?? context.operationId ?? "unknown",
        method: liveRequest.method,
        url: liveRequest.url,
        statusCode: answer.status,
        issues: outcome.issues,
      });
    }
  };
}
