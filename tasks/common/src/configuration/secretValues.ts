/*
 * Values (and keys) that look like secret material whatever their key. Each pattern is specific
 * enough that ordinary configuration values (paths, URLs, model names, numbers) do not match it.
 *
 * Every pattern is safe by construction on long input: no quantified group holds another
 * quantifier, and each repeated class is bounded by its own delimiter, so a search is linear in
 * the text (a run is matched from its start only, the lookbehinds see to that).
 */

interface SecretShape {
  /** Completes "the value looks like …". */
  description: string;
  matches(text: string): boolean;
}

function isJwtHeader(part: string): boolean {
  // A header is JSON: `{"`, `{ ` or `{` and a line break encode to `ey` or `ew`. Checking that
  // first spares decoding every dotted word of a long value.
  if (!/^e[wy]/.test(part)) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && "alg" in header && typeof header.alg === "string";
  } catch {
    return false;
  }
}

// A storage account key is 64 random bytes: 88 base64 characters ending `==`, or 86 once the
// padding is cut off. Unpadded, a real key mixes upper case, lower case and digits (a key
// without one of them is a one-in-a-million draw), which ordinary 86-letter words do not.
const storageAccountKey = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/;
const unpaddedStorageAccountKey = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}(?![A-Za-z0-9+/=])/g;
const mixesCases = (text: string) => /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text);

// A SAS is a query string with a signature and at least one of its other parameters: `sv`, `se`,
// `sp`, `sr` for storage; `sr`, `se`, `skn` for Service Bus and Event Hubs.
const sasSignature = /(?:^|[?&;=\s"'])sig=[^&\s]/i;
const sasParameter = /(?:^|[?&;=\s"'])(?:sv|se|sp|sr|skn)=[^&\s]/i;
const jwtCandidates = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

// `SharedAccessKeyName=` is the key's name, not the key: `\s*=` right after the word rules it out.
// `,` separates the fields of a Redis connection string (`host:6380,password=…,ssl=True`).
const connectionStringCredential = /(?:^|[;,])\s*(?:AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecretValue|AccessKey|Password|Pwd)\s*=/i;
const storageConnectionString = /(?:^|;)\s*DefaultEndpointsProtocol\s*=/i;
const pemPrivateKey = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/i;
// scheme://user:password@host; `https://org@dev.azure.com` (user only) is an ordinary clone URL.
// The scheme's length is bounded so that a long dotted value cannot make the search quadratic.
const urlWithPassword = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i;

// Azure DevOps personal access tokens: the classic ones are 52 characters of lower-case base32;
// since 2024 they are 84-character "common annotated security keys", which carry `JQQJ` at
// offset 52 and the provider's signature (`AZDO`) at offset 76. Other Azure services issue keys
// of the same layout with their own signature.
const classicPersonalAccessToken = /(?<![A-Za-z0-9])[a-z2-7]{52}(?![A-Za-z0-9])/g;
const annotatedSecurityKey = /(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ[A-Za-z0-9]{28}(?![A-Za-z0-9])/g;
// Prefixed tokens that ML pipelines commonly hold: GitHub and Hugging Face.
const prefixedToken = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,255}|hf_[A-Za-z]{34})(?![A-Za-z0-9_])/;

function someMatch(pattern: RegExp, text: string, accept: (match: string) => boolean): boolean {
  for (const match of text.matchAll(pattern)) if (accept(match[0])) return true;
  return false;
}

const shapes: SecretShape[] = [
  {
    description: "an Azure storage account key",
    matches: (text) => storageAccountKey.test(text) || someMatch(unpaddedStorageAccountKey, text, mixesCases),
  },
  { description: "a SAS token", matches: (text) => sasSignature.test(text) && sasParameter.test(text) },
  {
    description: "a JSON Web Token",
    matches: (text) => someMatch(jwtCandidates, text, (match) => isJwtHeader(match.slice(0, match.indexOf(".")))),
  },
  {
    description: "a connection string with a credential",
    matches: (text) => connectionStringCredential.test(text) || storageConnectionString.test(text),
  },
  { description: "a PEM private key", matches: (text) => pemPrivateKey.test(text) },
  { description: "a URL with a password in it", matches: (text) => urlWithPassword.test(text) },
  {
    description: "an Azure DevOps personal access token",
    matches: (text) =>
      someMatch(classicPersonalAccessToken, text, (match) => /[2-7]/.test(match)) ||
      someMatch(annotatedSecurityKey, text, (match) => match.slice(76, 80) === "AZDO"),
  },
  {
    description: "an Azure access key",
    matches: (text) => someMatch(annotatedSecurityKey, text, (match) => match.slice(76, 80) !== "AZDO"),
  },
  { description: "a GitHub or Hugging Face token", matches: (text) => prefixedToken.test(text) },
];

const shortestSplitPiece = 16;

/**
 * `text` with the line breaks YAML folded into spaces taken out again, when it looks like one
 * long token split over lines (every piece but the last one at least `shortestSplitPiece`
 * long); prose, whose words are short, is left alone.
 */
function unfolded(text: string): string | undefined {
  const pieces = text.trim().split(/\s+/);
  if (pieces.length < 2) return undefined;
  return pieces.slice(0, -1).every((piece) => piece.length >= shortestSplitPiece) ? pieces.join("") : undefined;
}

/**
 * What `text` looks like, for each secret shape it matches; empty when it looks like none. A
 * secret split over lines (in a folded `>` or literal `|` block, or a multi-line plain or quoted
 * scalar) is recognised as well.
 */
export function secretShapesOf(text: string): string[] {
  const forms = [text, unfolded(text)].filter((form): form is string => form !== undefined);
  return shapes.filter((shape) => forms.some((form) => shape.matches(form))).map((shape) => shape.description);
}
