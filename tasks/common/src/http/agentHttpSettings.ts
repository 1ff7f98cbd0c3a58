import { readFileSync } from "node:fs";
import * as tl from "azure-pipelines-task-lib/task";
import { maskSecret } from "../auth/secretMasking";

/** The agent's outbound HTTP settings, as every Azure client of the task must honour them. */
export interface AgentHttpSettings {
  proxy?: {
    /** Proxy URL without credentials, e.g. http://proxy.corp:8080 */
    url: string;
    username?: string;
    password?: string;
    /** Regular expressions; a request whose URL matches one goes direct (agent semantics). */
    bypass: string[];
  };
  /** Path of the agent's extra CA certificate file (Agent.CAInfo). */
  caFile?: string;
  /** PEM contents of that file: certificates to trust on top of the public ones. */
  ca?: string;
}

/** Reads the proxy and CA the agent was configured with (its Agent.Proxy* and Agent.CAInfo variables). */
export function readAgentHttpSettings(): AgentHttpSettings {
  const settings: AgentHttpSettings = {};
  const proxy = readProxy();
  if (proxy) settings.proxy = proxy;
  const caFile = tl.getHttpCertConfiguration()?.caFile;
  if (caFile) {
    settings.caFile = caFile;
    settings.ca = readCaFile(caFile);
  }
  return settings;
}

function readProxy(): AgentHttpSettings["proxy"] {
  let configuration: ReturnType<typeof tl.getHttpProxyConfiguration>;
  try {
    configuration = tl.getHttpProxyConfiguration();
  } catch (error) {
    // task-lib parses Agent.ProxyBypassList as JSON and lets a SyntaxError escape.
    throw new Error(`The agent's proxy bypass list (Agent.ProxyBypassList) is not a JSON array of patterns: ${messageOf(error)}`, { cause: error });
  }
  if (!configuration) return undefined;

  const url = proxyUrl(configuration.proxyUrl);
  // Credentials written into the proxy URL count when the agent has no separate ones.
  const username = configuration.proxyUsername || decodeURIComponent(url.username) || undefined;
  const password = configuration.proxyPassword || decodeURIComponent(url.password) || undefined;
  // Proxy URLs carry the password percent-encoded: maskSecret masks that spelling too.
  maskSecret(password);
  return { url: url.origin, username, password, bypass: validBypassPatterns(configuration.proxyBypassHosts ?? []) };
}

function proxyUrl(raw: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new Error(`The agent's proxy URL (Agent.ProxyUrl) '${withoutCredentials(raw)}' is not a valid URL.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`The agent's proxy URL (Agent.ProxyUrl) '${withoutCredentials(raw)}' must start with http:// or https://.`);
  }
  return parsed;
}

// A proxy URL may carry a password; error messages show it as ***.
function withoutCredentials(raw: string): string {
  return raw.trim().replace(/\/\/[^/@]*@/, "//***@");
}

// The agent drops patterns that are not valid regular expressions; do the same rather than fail the task.
function validBypassPatterns(patterns: string[]): string[] {
  return patterns.filter((pattern) => {
    if (!pattern) return false;
    try {
      new RegExp(pattern, "i");
      return true;
    } catch {
      tl.warning(`Ignoring proxy bypass pattern '${pattern}': it is not a valid regular expression.`);
      return false;
    }
  });
}

function readCaFile(path: string): string {
  let contents: string;
  try {
    contents = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`The agent's CA certificate file (Agent.CAInfo) '${path}' could not be read: ${messageOf(error)}`, { cause: error });
  }
  if (!contents.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error(`The agent's CA certificate file (Agent.CAInfo) '${path}' holds no PEM certificate.`);
  }
  return contents;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
