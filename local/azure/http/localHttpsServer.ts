import { createServer, Server } from "node:https";
import { Socket } from "node:net";
import { createExchange, Exchange, sendJson } from "./exchange";

export type ExchangeHandler = (exchange: Exchange) => Promise<void>;

const maxBodyBytes = 64 * 1024 * 1024;

/**
 * An HTTPS server bound to 127.0.0.1 only. The handler is attached after listening, because the
 * handlers need the URL (and so the port) the server got.
 */
export class LocalHttpsServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private handler: ExchangeHandler | undefined;

  constructor(tls: { cert: string; key: string }, private readonly onError: (error: unknown) => void) {
    this.server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      request.on("end", () => {
        const exchange = createExchange(request, response, Buffer.concat(chunks));
        const handler = this.handler;
        if (!handler) {
          sendJson(exchange, 503, { error: { code: "ServiceUnavailable", message: "The local Azure is still starting." } });
          return;
        }
        handler(exchange).catch((error: unknown) => {
          this.onError(error);
          if (!response.headersSent) {
            sendJson(exchange, 500, { error: { code: "InternalServerError", message: "The local Azure failed to handle the request." } });
          } else {
            response.destroy();
          }
        });
      });
    });
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    // A client that goes away mid-TLS-handshake is not our failure.
    this.server.on("tlsClientError", () => undefined);
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
