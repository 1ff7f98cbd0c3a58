import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { CertificateAndKey } from "./testCertificates";

/** A request as the test server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, resolved against the server's origin. */
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | object;
}

export type TestHandler = (request: RecordedRequest) => TestResponse;

interface Route {
  method: string;
  path: RegExp;
  handler: TestHandler;
}

/**
 * A loopback HTTP(S) server on a free port that answers from routes and records every request,
 * so tests can check what a client really sent.
 */
export class TestServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
  ) {}

  /** Starts on 127.0.0.1; with `tls`, speaks HTTPS with that certificate. */
  static async start(tls?: CertificateAndKey): Promise<TestServer> {
    const server = tls ? https.createServer({ cert: tls.certificatePem, key: tls.privateKeyPem }) : http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new TestServer(server, `${tls ? "https" : "http"}://127.0.0.1:${port}`);
    // Attached before this turn of the event loop ends, so no request can come before it.
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => instance.answer(request, response));
    return instance;
  }

  get port(): number {
    return Number(new URL(this.origin).port);
  }

  route(method: string, path: RegExp, handler: TestHandler): void {
    this.routes.push({ method, path, handler });
  }

  /** Recorded requests whose path matches. */
  requestsTo(path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => path.test(request.url.pathname));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded: RecordedRequest = {
        method: request.method ?? "GET",
        url: new URL(request.url ?? "/", this.origin),
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      this.requests.push(recorded);
      const route = this.routes.find((candidate) => candidate.method === recorded.method && candidate.path.test(recorded.url.pathname));
      const reply: TestResponse = route
        ? route.handler(recorded)
        : { status: 404, body: { error: `no route for ${recorded.method} ${recorded.url.pathname}` } };
      const body = typeof reply.body === "object" ? JSON.stringify(reply.body) : (reply.body ?? "");
      const contentType = typeof reply.body === "object" ? { "content-type": "application/json; charset=utf-8" } : {};
      response.writeHead(reply.status, { ...contentType, ...reply.headers });
      response.end(body);
    });
  }
}
