import { RequestLog, RequestLogEntry } from "../../http/requestLog";
import { RequestContext, RequestHandler } from "../requestChain";

export interface RequestLoggingOptions {
  target: RequestLogEntry["target"];
  /** Whether the logged path carries the query (ARM's does: the api-version matters there). */
  withQuery: boolean;
}

/**
 * Records what was finally answered (0 for a dropped connection) with the operation, principal and
 * fault the other handlers named. Outermost, so it sees faults and refusals alike.
 */
export function requestLogging<C extends RequestContext>(requestLog: RequestLog, options: RequestLoggingOptions): RequestHandler<C> {
  return async (context, next) => {
    await next();
    const { exchange } = context;
    requestLog.add({
      time: new Date(exchange.receivedAt).toISOString(),
      target: options.target,
      method: exchange.method,
      path: options.withQuery ? exchange.path + exchange.url.search : exchange.path,
      operationId: context.operationId,
      status: context.dropped ? 0 : (context.answer?.status ?? exchange.response.statusCode),
      principal: context.principal?.name,
      fault: context.fault,
      durationMs: Date.now() - exchange.receivedAt,
    });
  };
}
