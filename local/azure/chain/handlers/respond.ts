import { sendEmpty, sendJson } from "../../http/exchange";
import { Answer, answerHeaders, RequestContext, RequestHandler } from "../requestChain";

function send(context: RequestContext, answer: Answer): void {
  const { exchange } = context;
  const headers = answerHeaders(context, answer);
  if (answer.body !== undefined) sendJson(exchange, answer.status, answer.body, headers);
  else if (answer.content !== undefined) {
    exchange.response.writeHead(answer.status, { "Content-Length": String(answer.content.length), ...headers });
    exchange.response.end(exchange.method === "HEAD" ? undefined : answer.content);
  } else sendEmpty(exchange, answer.status, headers);
}

/** Sends the answer the later handlers settled on, once (unless a handler wrote it itself or the connection was dropped). */
export function respond<C extends RequestContext>(): RequestHandler<C> {
  return async (context, next) => {
    await next();
    if (context.dropped || !context.answer || context.exchange.response.headersSent) return;
    send(context, context.answer);
  };
}
