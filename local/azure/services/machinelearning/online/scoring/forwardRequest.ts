import { IncomingHttpHeaders, OutgoingHttpHeaders, request } from "node:http";

export interface ForwardedRequest {
  /** `http://127.0.0.1:<port>/score?…` */
  url: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  timeoutMs: number;
}

export type ForwardOutcome =
  | { kind: "answered"; status: number; headers: IncomingHttpHeaders; body: Buffer; elapsedMs: number }
  | { kind: "timedOut" }
  | { kind: "unreachable"; message: string };

/** Headers that belong to one connection, never passed on (RFC 9110 §7.6.1), and those recomputed here. */
const connectionHeaders = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"]);

/** The request's or answer's headers without the per-connection ones. */
export function endToEndHeaders(headers: IncomingHttpHeaders, drop: readonly string[] = []): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || connectionHeaders.has(lower) || drop.includes(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

/** Sends the request to a deployment's process and reads its whole answer, or gives up after the timeout. */
export function forwardRequest(forwarded: ForwardedRequest): Promise<ForwardOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ForwardOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const outgoing = request(
      forwarded.url,
      { method: forwarded.method, headers: { ...forwarded.headers, "content-length": String(forwarded.body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          settle({
            kind: "answered",
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
            elapsedMs: Date.now() - started,
          }),
        );
        response.on("error", (error) => settle({ kind: "unreachable", message: error.message }));
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: "timedOut" });
      outgoing.destroy();
    }, forwarded.timeoutMs);
    outgoing.on("error", (error) => settle({ kind: "unreachable", message: error.message }));
    outgoing.end(forwarded.body);
  });
}
