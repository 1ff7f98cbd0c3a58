import * as http from "node:http";
import * as https from "node:https";
import { maskSecret } from "../auth/secretMasking";
import type { AgentHttpSettings } from "./agentHttpSettings";
import { bypassesProxy } from "./proxyBypass";
import { ProxyTunnelAgent, type ProxyEndpoint } from "./proxyTunnelAgent";
import { trustedCertificates } from "./trustedCertificates";

/** Picks the connection agent for one request URL. */
export type AgentSelector = (url: URL) => http.Agent;

/**
 * Routes requests the way the agent's settings say: HTTPS through the proxy unless bypassed,
 * trusting the agent's extra CA either way. Plain HTTP always goes direct: no Azure service is
 * reached over plain HTTP, only loopback and link-local endpoints (emulators, IMDS) are.
 */
export function createAgentSelector(settings: AgentHttpSettings): AgentSelector {
  const tlsOptions: https.AgentOptions = settings.ca ? { ca: trustedCertificates(settings.ca) } : {};
  const plain = new http.Agent({ keepAlive: true });
  const direct = new https.Agent({ keepAlive: true, ...tlsOptions });
  const proxy = settings.proxy;
  const tunnel = proxy ? new ProxyTunnelAgent(proxyEndpoint(proxy), { keepAlive: true, ...tlsOptions }) : undefined;

  return (url) => {
    if (url.protocol !== "https:") return plain;
    if (tunnel && proxy && !bypassesProxy(url, proxy.bypass)) return tunnel;
    return direct;
  };
}

function proxyEndpoint(proxy: NonNullable<AgentHttpSettings["proxy"]>): ProxyEndpoint {
  const endpoint: ProxyEndpoint = { url: new URL(proxy.url) };
  if (proxy.username) {
    const credentials = Buffer.from(`${proxy.username}:${proxy.password ?? ""}`).toString("base64");
    maskSecret(credentials);
    endpoint.authorization = `Basic ${credentials}`;
  }
  return endpoint;
}
