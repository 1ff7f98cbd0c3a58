import * as http from "node:http";
import * as https from "node:https";
import { isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";

/** Where the proxy is and how to authenticate to it. */
export interface ProxyEndpoint {
  url: URL;
  /** Value of the Proxy-Authorization header, when the proxy needs credentials. */
  authorization?: string;
}

const TUNNEL_TIMEOUT_MS = 60_000;

type ConnectionCallback = (error: Error | null, stream: Duplex) => void;

// Node's agent reads only the error when one is given; the stream argument is then unused.
function fail(callback: ConnectionCallback, error: Error): void {
  (callback as (error: Error) => void)(error);
}

/**
 * An HTTPS agent that opens each connection as an HTTP CONNECT tunnel through a proxy and
 * then speaks TLS to the target itself. Unlike the SDK's own proxy agent, it keeps this
 * agent's `ca`, so a proxy that re-signs traffic with a corporate CA still works.
 */
export class ProxyTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    if (!callback) throw new Error("ProxyTunnelAgent opens connections asynchronously and needs a callback.");
    const host = options.hostname ?? options.host ?? "localhost";
    const port = Number(options.port ?? 443);
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const proxyName = this.proxy.url.origin;

    const connect = this.requestTunnel(target);
    connect.setTimeout(TUNNEL_TIMEOUT_MS, () => {
      connect.destroy(new Error(`no answer within ${TUNNEL_TIMEOUT_MS / 1000} s`));
    });
    connect.once("connect", (response: http.IncomingMessage, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        fail(
          callback,
          new Error(`The proxy ${proxyName} refused to open a tunnel to ${target}: HTTP ${response.statusCode} ${response.statusMessage ?? ""}`.trim()),
        );
        return;
      }
      // The tunnel now belongs to the TLS connection; the CONNECT deadline no longer applies.
      socket.setTimeout(0);
      callback(null, tls.connect({ ...tlsOptionsOf(options), socket, host, servername: serverName(options, host) }));
    });
    connect.once("error", (error: Error) => {
      fail(callback, new Error(`Could not open a tunnel to ${target} through the proxy ${proxyName}: ${error.message}`));
    });
    connect.end();
    return undefined;
  }

  private requestTunnel(target: string): http.ClientRequest {
    const secureProxy = this.proxy.url.protocol === "https:";
    const headers: http.OutgoingHttpHeaders = { host: target };
    if (this.proxy.authorization) headers["proxy-authorization"] = this.proxy.authorization;
    const request: https.RequestOptions = {
      host: this.proxy.url.hostname,
      port: Number(this.proxy.url.port || (secureProxy ? 443 : 80)),
      method: "CONNECT",
      path: target,
      headers,
      agent: false,
    };
    if (secureProxy) return https.request({ ...request, ca: this.options.ca });
    return http.request(request);
  }
}

const TLS_OPTION_NAMES = [
  "ca",
  "cert",
  "key",
  "pfx",
  "passphrase",
  "rejectUnauthorized",
  "minVersion",
  "maxVersion",
  "ciphers",
  "checkServerIdentity",
] as const;

// Only the options actually set: tls.connect fills in its defaults for absent ones, not for undefined ones.
function tlsOptionsOf(options: https.RequestOptions): tls.ConnectionOptions {
  const chosen: tls.ConnectionOptions = {};
  for (const name of TLS_OPTION_NAMES) {
    if (options[name] !== undefined) Object.assign(chosen, { [name]: options[name] });
  }
  return chosen;
}

// SNI carries host names only, never IP addresses.
function serverName(options: https.RequestOptions, host: string): string | undefined {
  if (options.servername) return options.servername;
  return isIP(host) ? undefined : host;
}
