import { readFileSync } from "node:fs";
import { connect } from "node:tls";
import { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawTarget {
  port: number;
  ca: string;
}

export function rawTarget(connection: LocalAzureConnection): RawTarget {
  if (!connection.caCertPath) throw new Error("connection.json names no CA certificate");
  return { port: Number(new URL(connection.armUrl).port), ca: readFileSync(connection.caCertPath, "utf8") };
}

function parseResponse(bytes: Buffer): RawResponse {
  const text = bytes.toString("utf8");
  const headerEnd = text.indexOf("\r\n\r\n");
  if (headerEnd < 0) throw new Error(`no complete HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...headerLines] = text.slice(0, headerEnd).split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const separator = line.indexOf(":");
    headers[line.slice(0, separator).trim().toLowerCase()] = line.slice(separator + 1).trim();
  }
  let body = text.slice(headerEnd + 4);
  if (headers["content-length"] !== undefined) body = body.slice(0, Number(headers["content-length"]));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, text: body, json };
}

/**
 * Writes the given bytes on a fresh TLS connection, exactly as given (no client library between
 * the test and the server), and reads the first response until the server closes or the response
 * is complete. `body` is written after the head, in pieces, so a server may answer before the end.
 */
export function rawRequest(target: RawTarget, head: string, body: Buffer | string = ""): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: target.port, servername: "localhost", ca: target.ca });
    const received: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      try {
        resolve(parseResponse(Buffer.concat(received)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const complete = () => {
      const bytes = Buffer.concat(received);
      const headerEnd = bytes.indexOf("\r\n\r\n");
      if (headerEnd < 0) return false;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(bytes.subarray(0, headerEnd).toString("latin1"));
      return length !== null && bytes.length >= headerEnd + 4 + Number(length[1]);
    };
    socket.on("secureConnect", () => {
      socket.write(head);
      const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const piece = 1024 * 1024;
      let offset = 0;
      const writeMore = () => {
        while (offset < payload.length && !settled) {
          const ok = socket.write(payload.subarray(offset, offset + piece));
          offset += piece;
          if (!ok) {
            socket.once("drain", writeMore);
            return;
          }
        }
      };
      writeMore();
    });
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (complete()) finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    // A reset after the server answered and closed is expected when a body was cut short.
    socket.on("error", (error: Error) => {
      if (received.length > 0) finish();
      else if (!settled) {
        settled = true;
        reject(new Error(`the connection failed before any answer: ${error.message}`));
      }
    });
  });
}

/** A request head with the usual headers, and the body's length when there is one. */
export function requestHead(method: string, target: string, headers: Record<string, string> = {}, bodyLength?: number): string {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: localhost", "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (bodyLength !== undefined) lines.push(`Content-Length: ${bodyLength}`);
  return lines.join("\r\n") + "\r\n\r\n";
}

/** A token for ARM from the local Entra, for the subscription-wide principal with a secret, asked for with raw bytes too. */
export async function armToken(target: RawTarget, connection: LocalAzureConnection): Promise<string> {
  const principal = connection.servicePrincipals.find((candidate) => candidate.clientSecret !== undefined && candidate.scopeLevel === "Subscription");
  if (!principal?.clientSecret) throw new Error("connection.json has no subscription principal with a secret");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: principal.clientId,
    client_secret: principal.clientSecret,
    scope: connection.armScope,
  }).toString();
  const response = await rawRequest(
    target,
    requestHead("POST", `/${connection.tenantId}/oauth2/v2.0/token`, { "Content-Type": "application/x-www-form-urlencoded" }, Buffer.byteLength(form)),
    form,
  );
  const token = (response.json as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new Error(`no token: ${response.status} ${response.text}`);
  return token;
}

/** The {error:{code,message}} of an ARM-shaped answer, or a failure naming what came instead. */
export function armError(response: RawResponse): { code: string; message: string } {
  const error = (response.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error?.code !== "string" || typeof error.message !== "string") {
    throw new Error(`not ARM's error shape: ${response.status} ${response.text.slice(0, 300)}`);
  }
  return { code: error.code, message: error.message };
}
