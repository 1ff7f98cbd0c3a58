import { isIP } from "node:net";

/**
 * Whether a request to `url` must skip the agent's proxy. Follows the agent: loopback always
 * goes direct, and each bypass pattern is a case-insensitive regular expression. The agent
 * matches patterns against `scheme://host[:port]` and task-lib against the whole URL; either
 * match bypasses, so lists written for one behave the same here.
 */
export function bypassesProxy(url: URL, bypassPatterns: readonly string[]): boolean {
  if (isLoopbackOrLinkLocal(url.hostname)) return true;
  const candidates = [url.origin, url.href];
  return bypassPatterns.some((pattern) => {
    const expression = new RegExp(pattern, "i");
    return candidates.some((candidate) => expression.test(candidate));
  });
}

// A proxy on another machine cannot reach this machine's loopback, nor its link-local
// metadata endpoint (IMDS, 169.254.169.254) that managed identity depends on.
function isLoopbackOrLinkLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.") || host.startsWith("169.254.");
  if (isIP(host) === 6) return host === "::1" || host.startsWith("fe80:");
  return false;
}
