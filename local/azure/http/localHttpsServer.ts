import { createServer, Server } from "node:https";
import { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";
import { Socket } from "node:net";
import { createExchange, Exchange, hostProblem, requestTarget, sendJson } from "./exchange";

export type ExchangeHandler = (exchange: Exchange) => Promise<void>;

/** ARM refuses request bodies over 4 MB (RequestContentTooLarge); nothing served here takes more. */
export const maxBodyBytes = 4 * 1024 * 1024;

interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

const bodyTooLarge: ErrorAnswer = { status: 413, code: "RequestContentTooLarge", message: "The request content size exceeds the maximum size of 4 MB." };

function errorPayload(answer: ErrorAnswer): Buffer {
  return Buffer.from(JSON.stringify({ error: { code: answer.code, message: answer.message } }));
}

/**
 * Answers before (or instead of) the handler, in ARM's error shape. `close` when the rest of the
 * request is not read: the connection cannot carry another request after it.
 */
function answerEarly(request: IncomingMessage, response: ServerResponse, answer: ErrorAnswer, close: boolean): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const payload = errorPayload(answer);
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(payload.length) };
  if (close) headers.Connection = "close";
  response.writeHead(answer.status, headers);
  response.end(request.method === "HEAD" ? undefined : payload);
  // Whatever else the client sends is read and dropped, so it neither fills memory nor stalls.
  if (close) request.resume();
}

/** What a request the HTTP parser refused gets, before the connection closes; undefined: just close. */
function parserErrorAnswer(error: Error & { code?: string }): ErrorAnswer | undefined {
  const code = error.code ?? "";
  if (code === "HPE_HEADER_OVERFLOW") return { status: 431, code: "RequestHeaderFieldsTooLarge", message: "The request headers are too large." };
  if (code === "HPE_CONTENT_LENGTH_MISMATCH" || code === "HPE_UNEXPECTED_CONTENT_LENGTH")
    return { status: 400, code: "BadRequest", message: "The request's Content-Length is invalid." };
  if (code.startsWith("HPE_")) return { status: 400, code: "BadRequest", message: `The request is not valid HTTP (${code}).` };
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return { status: 408, code: "RequestTimeout", message: "The request was not received in time." };
  return undefined;
}

/**
 * An HTTPS server bound to 127.0.0.1 only. The handler is attached after listening, because the
 * handlers need the URL (and so the port) the server got. No single request may stop it: a
 * malformed one gets ARM's 400, a too large one 413, and a handler that throws a 500.
 */
export class LocalHttpsServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private handler: ExchangeHandler | undefined;

  constructor(
    tls: { cert: string; key: string },
    private readonly onError: (error: unknown) => void,
  ) {
    // requireHostHeader off: Node's own 400 for a missing Host has no body; hostProblem answers in ARM's shape.
    this.server = createServer({ cert: tls.cert, key: tls.key, requireHostHeader: false }, (request, response) => this.receive(request, response));
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    // A client that goes away mid-TLS-handshake is not our failure.
    this.server.on("tlsClientError", () => undefined);
    this.server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
      const answer = parserErrorAnswer(error);
      if (answer && socket.writable) {
        const payload = errorPayload(answer);
        const reason = answer.status === 431 ? "Request Header Fields Too Large" : answer.status === 408 ? "Request Timeout" : "Bad Request";
        socket.end(
          `HTTP/1.1 ${answer.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n${payload.toString("utf8")}`,
        );
      } else {
        socket.destroy();
      }
    });
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    // A client that disconnects mid-request makes the request emit an error: nobody is left to answer.
    request.on("error", () => undefined);
    response.on("error", () => undefined);
    const url = requestTarget(request.url);
    const malformed = typeof url === "string" ? url : hostProblem(request.httpVersion, request.headers.host);
    if (malformed !== undefined || typeof url === "string") {
      answerEarly(request, response, { status: 400, code: "BadRequest", message: malformed ?? "The request is malformed." }, true);
      return;
    }
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) {
      answerEarly(request, response, bodyTooLarge, true);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        chunks.length = 0;
        answerEarly(request, response, bodyTooLarge, true);
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!refused) this.serve(createExchange(request, response, Buffer.concat(chunks), url));
    });
  }

  private serve(exchange: Exchange): void {
    const handler = this.handler;
    if (!handler) {
      sendJson(exchange, 503, { error: { code: "ServiceUnavailable", message: "The local Azure is still starting." } });
      return;
    }
    const failed = (error: unknown) => {
      this.onError(error);
      try {
        if (!exchange.response.headersSent) {
          sendJson(exchange, 500, { error: { code: "InternalServerError", message: "The local Azure failed to handle the request." } });
        } else {
          exchange.response.destroy();
        }
      } catch {
        exchange.response.destroy();
      }
    };
    try {
      handler(exchange).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        const address = this.server.address();
        if (address === null || typeof address === "string") {
          reject(new Error("The server has no TCP address."));
          return;
        }
        resolve(address.port);
      });
    });
  }

  setHandler(handler: ExchangeHandler): void {
    this.handler = handler;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
}
