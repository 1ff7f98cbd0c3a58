import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";

/**
 * The certificate authorities a connection must trust when the agent names an extra CA.
 * Node replaces its whole default store when a `ca` option is given, so the public roots and
 * the NODE_EXTRA_CA_CERTS ones are listed again next to the agent's.
 */
export function trustedCertificates(extraCaPem: string): string[] {
  return [...rootCertificates, ...nodeExtraCaCertificates(), extraCaPem];
}

function nodeExtraCaCertificates(): string[] {
  const file = process.env["NODE_EXTRA_CA_CERTS"];
  if (!file) return [];
  try {
    return [readFileSync(file, "utf8")];
  } catch {
    // Node already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    return [];
  }
}
