import { Exchange, HeaderMap } from "../http/exchange";
import { PrincipalRecord } from "../identity/directory";
import { JsonValue } from "../state/json";
import { LiveMessage } from "../validation/swaggerValidator";

/** What a service answers: JSON, raw bytes (a file), or nothing but a status and headers. */
export interface Answer {
  status: number;
  body?: JsonValue;
  /** Bytes sent as they are (file content); ignored when `body` is set. */
  content?: Buffer;
  headers?: HeaderMap;
}

/**
 * What the handlers of one request share. Each handler reads what the ones before it wrote
 * (routing names the operation before faults and the log use it, authentication names the
 * principal) and the ones after it write the answer; `respond` sends it once, at the end.
 */
export interface RequestContext {
  readonly exchange: Exchange;
  /** The swagger operation (or the endpoint's name), once routing knows it: logs and fault rules use it. */
  operationId: string | undefined;
  /** Who the bearer token names, once authentication accepted it. */
  principal: PrincipalRecord | undefined;
  /** The fault injected, as the request log records it. */
  fault: string | undefined;
  /** Headers every answer of the service carries (ARM's request ids, …); an answer's own headers win. */
  baseHeaders: HeaderMap;
  /** The answer to send; undefined when a handler wrote to the exchange itself or the connection was dropped. */
  answer: Answer | undefined;
  /** The connection was dropped on purpose (a fault): nothing is sent. */
  dropped: boolean;
  /** The request as the swagger validator sees it; undefined for endpoints no swagger describes. */
  liveRequest: LiveMessage | undefined;
}

export type Next = () => Promise<void>;

/**
 * One step of the chain, middleware style: work before `next()` sees the request, work after it
 * sees the answer (so a fault can replace an answer after the service acted, and the log records
 * what was finally sent). Not calling `next()` ends the request there.
 */
export type RequestHandler<C extends RequestContext = RequestContext> = (context: C, next: Next) => Promise<void>;

/** Composes the handlers once, in order; the result runs them for each request. */
export function composeChain<C extends RequestContext>(handlers: readonly RequestHandler<C>[]): (context: C) => Promise<void> {
  const chain = [...handlers];
  return (context) => {
    const run = (index: number): Promise<void> => {
      const handler = chain[index];
      if (!handler) return Promise.resolve();
      let called = false;
      return handler(context, () => {
        if (called) return Promise.reject(new Error(`request handler ${index} called next() twice`));
        called = true;
        return run(index + 1);
      });
    };
    return run(0);
  };
}

/** A fresh context for an exchange; services with more state spread it into theirs. */
export function newRequestContext(exchange: Exchange): RequestContext {
  return {
    exchange,
    operationId: undefined,
    principal: undefined,
    fault: undefined,
    baseHeaders: {},
    answer: undefined,
    dropped: false,
    liveRequest: undefined,
  };
}

/** The headers an answer goes out with. */
export function answerHeaders(context: RequestContext, answer: Answer): HeaderMap {
  const headers = { ...context.baseHeaders, ...(answer.headers ?? {}) };
  if (answer.body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
  return headers;
}
