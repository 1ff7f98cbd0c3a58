import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as net from "node:net";

/** A CONNECT request the proxy received. */
export interface TunnelRequest {
  target: string;
  proxyAuthorization?: string;
}

/**
 * A local forward proxy that only tunnels (HTTP CONNECT), records each tunnel asked for, and
 * sends every tunnel to one local port: tests can use host names that do not resolve, which
 * proves the traffic went through the proxy.
 */
export class ConnectProxy {
  readonly tunnels: TunnelRequest[] = [];
  private readonly openSockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(options: { forwardToPort: number; requiredAuthorization?: string }): Promise<ConnectProxy> {
    const server = http.createServer((_request, response) => {
      response.writeHead(405).end("this proxy only tunnels");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const proxy = new ConnectProxy(server, `http://127.0.0.1:${port}`);
    server.on("connect", (request: http.IncomingMessage, client: Socket, head: Buffer) => {
      proxy.tunnel(request, client, head, options);
    });
    return proxy;
  }

  async stop(): Promise<void> {
    for (const socket of this.openSockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tunnel(request: http.IncomingMessage, client: Socket, head: Buffer, options: { forwardToPort: number; requiredAuthorization?: string }): void {
    const proxyAuthorization = request.headers["proxy-authorization"];
    this.tunnels.push({ target: request.url ?? "", proxyAuthorization });
    this.track(client);
    if (options.requiredAuthorization && proxyAuthorization !== options.requiredAuthorization) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(options.forwardToPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.track(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  }

  private track(socket: Socket): void {
    this.openSockets.add(socket);
    socket.on("close", () => this.openSockets.delete(socket));
  }
}
