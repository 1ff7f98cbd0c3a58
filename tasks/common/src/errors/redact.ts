import { registeredSecrets } from "../auth/secretMasking";

const HIDDEN = "***";

// An Authorization or Proxy-Authorization header as a header line, a JSON field or a dump.
const AUTHORIZATION_NAME = String.raw`(\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?)`;
const AUTHORIZATION_SCHEME = "(bearer|basic|pop|sharedkey|sharedaccesssignature|negotiate|ntlm)";
const HEADER_VALUE = String.raw`[^\s"'\\,;}\]]+`;

// What a service may echo back of a request, or put in its own error, that grants access. Each
// rule keeps the name (so the reader still sees what was there) and hides the value.
const rules: Array<[RegExp, string]> = [
  // A private key, whole or cut off, in any PEM flavour.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)/g, "[private key removed]"],
  [new RegExp(`${AUTHORIZATION_NAME}${AUTHORIZATION_SCHEME}\\s+${HEADER_VALUE}`, "gi"), `$1$2 ${HIDDEN}`],
  [new RegExp(`${AUTHORIZATION_NAME}(?!${AUTHORIZATION_SCHEME}\\s)${HEADER_VALUE}`, "gi"), `$1${HIDDEN}`],
  // Any other "Bearer <token>" or "Basic <credentials>".
  [/\b(bearer|basic)\s+(?!\*\*\*)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${HIDDEN}`],
  // JWTs: id tokens, access tokens, signed client assertions (header.payload.signature).
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, HIDDEN],
  // Form fields and query parameters of token requests, and SAS signatures.
  [/(\b(?:client_secret|client_assertion|assertion|access_token|id_token|refresh_token|password|sig)=)[^&\s"'\\]+/gi, `$1${HIDDEN}`],
  // JSON fields (maybe inside escaped JSON) that hold a token, a key or a password.
  [
    /(\\?["'](?:access_token|id_token|refresh_token|client_secret|client_assertion|assertion|oidcToken|accessToken|refreshToken|serviceprincipalkey|password|secret|primaryKey|secondaryKey|key1|key2)\\?["']\s*:\s*\\?["'])(?:[^"'\\]|\\(?!["']))*/gi,
    `$1${HIDDEN}`,
  ],
  // Connection strings of storage accounts, Service Bus, Event Hubs, Application Insights.
  [/(\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s"'\\]+/gi, `$1${HIDDEN}`],
  // Credentials written into a URL (a proxy's, a repository's).
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:"']+:[^\s/?#@"']+@/gi, `$1${HIDDEN}@`],
];

/**
 * The text with every secret this task registered with the agent, and anything shaped like a
 * credential, replaced by ***. Applied to every error and warning the task prints: the agent
 * masks only the values it was told about, and a service may echo what we sent it.
 */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of registeredSecrets()) redacted = redacted.split(secret).join(HIDDEN);
  for (const [pattern, replacement] of rules) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
