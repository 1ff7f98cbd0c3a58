/*
 * Values that look like secret material whatever their key. Each pattern is specific enough
 * that ordinary configuration values (paths, URLs, model names, numbers) do not match it.
 */

interface SecretShape {
  /** Completes "the value looks like …". */
  description: string;
  matches(text: string): boolean;
}

function isJwtHeader(part: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && "alg" in header && typeof header.alg === "string";
  } catch {
    return false;
  }
}

const storageAccountKey = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/;
const sasVersion = /(?:^|[?&;=\s"'])sv=[^&\s]+/i;
const sasSignature = /(?:^|[?&;=\s"'])sig=[^&\s]+/i;
const jwtCandidates = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// `SharedAccessKeyName=` is the key's name, not the key: `\s*=` right after the word rules it out.
const connectionStringCredential =
  /(?:^|;)\s*(?:AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|Password|Pwd)\s*=/i;
const storageConnectionString = /(?:^|;)\s*DefaultEndpointsProtocol\s*=/i;
const pemPrivateKey = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
// scheme://user:password@host; `https://org@dev.azure.com` (user only) is an ordinary clone URL.
// The scheme's length is bounded so that a long dotted value cannot make the search quadratic.
const urlWithPassword = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i;

const shapes: SecretShape[] = [
  { description: "an Azure storage account key", matches: (text) => storageAccountKey.test(text) },
  { description: "a SAS token", matches: (text) => sasVersion.test(text) && sasSignature.test(text) },
  {
    description: "a JSON Web Token",
    matches: (text) => [...text.matchAll(jwtCandidates)].some((match) => isJwtHeader(match[1])),
  },
  {
    description: "a connection string with a credential",
    matches: (text) => connectionStringCredential.test(text) || storageConnectionString.test(text),
  },
  { description: "a PEM private key", matches: (text) => pemPrivateKey.test(text) },
  { description: "a URL with a password in it", matches: (text) => urlWithPassword.test(text) },
];

/** What `text` looks like, for each secret shape it matches; empty when it looks like none. */
export function secretShapesOf(text: string): string[] {
  return shapes.filter((shape) => shape.matches(text)).map((shape) => shape.description);
}
