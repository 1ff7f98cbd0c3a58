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

/** Host names this server answers for in an absolute request URI (it is no proxy). */
const servedHosts = ["localhost", "127.0.0.1"];

/**
 * The path and query a request target names, or why it names none. Origin form ("/a?b") is what
 * clients send; absolute form ("https://host/a?b") must be accepted too (RFC 9112 §3.2.2) and its
 * path is taken when it names this server; the asterisk form and anything else is not a resource.
 */
export function requestTarget(target: string | undefined): URL | string {
  const raw = target ?? "";
  // Concatenated to a fixed origin, not resolved: "//subscriptions/…" (an SDK joining "/" and an
  // id) is a path, not a host.
  let pathAndQuery: string;
  if (raw.startsWith("/")) pathAndQuery = raw;
  else if (/^https?:\/\//i.test(raw)) {
    let absolute: URL;
    try {
      absolute = new URL(raw);
    } catch {
      return `The request URI '${raw}' is not a valid URI.`;
    }
    if (!servedHosts.includes(absolute.hostname.toLowerCase())) return `The request URI '${raw}' names host '${absolute.hostname}', which is not served here.`;
    pathAndQuery = absolute.pathname + absolute.search;
  } else return `The request URI '${raw}' is not a valid absolute path or absolute URI.`;
  try {
    return new URL(`https://localhost${pathAndQuery}`);
  } catch {
    return `The request URI '${raw}' is not a valid URI.`;
  }
}

/**
 * Why a request's Host header is unacceptable (RFC 9112 §3.2: an HTTP/1.1 request without one, or
 * with one that is not host[:port], gets a 400), or undefined. Its name plays no further part:
 * every host name reaches the same services here.
 */
export function hostProblem(httpVersion: string, host: string | undefined): string | undefined {
  if (host === undefined) return httpVersion === "1.0" ? undefined : "The request has no Host header.";
  const hostSyntax = /^(?:[A-Za-z0-9._~!$&'()*+,;=%-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;
  return hostSyntax.test(host) ? undefined : `The Host header '${host}' is not a valid host name.`;
}

export function createExchange(request: IncomingMessage, response: ServerResponse, body: Buffer, url: URL): Exchange {
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

/**
 * Json.NET's default MaxDepth, which ARM's deserializer reports when a body nests deeper. It also
 * keeps every recursive walk of a body here (JSON.stringify, the swagger validator) off the end of
 * the stack.
 */
export const maxJsonDepth = 64;

/** Where a JSON text first nests deeper than the limit (an index), scanned without recursion. */
function depthExceededAt(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 0x5c)
        index++; // a backslash escapes the next character
      else if (character === 0x22) inString = false;
    } else if (character === 0x22) inString = true;
    else if (character === 0x7b || character === 0x5b) {
      depth++;
      if (depth > limit) return index;
    } else if (character === 0x7d || character === 0x5d) depth--;
  }
  return undefined;
}

export function parseJsonBody(exchange: Exchange): { ok: true; value: unknown } | { ok: false; message: string } {
  if (exchange.body.length === 0) return { ok: true, value: undefined };
  const text = exchange.body.toString("utf8");
  const tooDeep = depthExceededAt(text, maxJsonDepth);
  if (tooDeep !== undefined) return { ok: false, message: `The reader's MaxDepth of ${maxJsonDepth} has been exceeded. Position ${tooDeep + 1}.` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export function parseFormBody(exchange: Exchange): URLSearchParams {
  return new URLSearchParams(exchange.body.toString("utf8"));
}
