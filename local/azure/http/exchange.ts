import { IncomingMessage, ServerResponse, IncomingHttpHeaders } from "node:http";
import { randomUUID } from "node:crypto";
import { JsonValue } from "../state/json";

/** One HTTP request as every handler sees it: body already read, URL already parsed. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  readonly receivedAt: number;
}

export type HeaderMap = Record<string, string>;

export function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function createExchange(request: IncomingMessage, response: ServerResponse, body: Buffer): Exchange {
  // Concatenated, not resolved: "//subscriptions/…" (an SDK joining "/" and an id) is a path, not a host.
  const url = new URL(`https://${request.headers.host ?? "localhost"}${request.url ?? "/"}`);
  return {
    request,
    response,
    method: (request.method ?? "GET").toUpperCase(),
    url,
    path: url.pathname.replace(/\/{2,}/g, "/"),
    query: url.searchParams,
    headers: request.headers,
    body,
    requestId: randomUUID(),
    receivedAt: Date.now(),
  };
}

export function sendJson(exchange: Exchange, status: number, body: JsonValue, headers: HeaderMap = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  exchange.response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(payload.length),
    ...headers,
  });
  exchange.response.end(exchange.method === "HEAD" ? undefined : payload);
}

export function sendEmpty(exchange: Exchange, status: number, headers: HeaderMap = {}): void {
  exchange.response.writeHead(status, { "Content-Length": "0", ...headers });
  exchange.response.end();
}

export function parseJsonBody(exchange: Exchange): { ok: true; value: unknown } | { ok: false; message: string } {
  if (exchange.body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(exchange.body.toString("utf8")) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export function parseFormBody(exchange: Exchange): URLSearchParams {
  return new URLSearchParams(exchange.body.toString("utf8"));
}
