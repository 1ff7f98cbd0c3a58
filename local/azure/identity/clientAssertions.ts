import { X509Certificate } from "node:crypto";
import { decodeJwt, numericClaim, stringClaim, verifyJwtSignature, certificateThumbprints, DecodedJwt } from "./jwt";
import { EntraError, entraErrors } from "./entraErrors";
import { PrincipalRecord } from "./directory";
import { IdentityContext } from "./identityContext";
import { AuthenticationMethod } from "./accessTokens";

const clockSkewSeconds = 300;

function checkTimeRange(decoded: DecodedJwt): EntraError | undefined {
  const now = Math.floor(Date.now() / 1000);
  const expires = numericClaim(decoded.payload, "exp");
  const notBefore = numericClaim(decoded.payload, "nbf");
  if (expires === undefined || expires + clockSkewSeconds < now || (notBefore !== undefined && notBefore - clockSkewSeconds > now)) {
    return entraErrors.assertionOutOfTime(now, notBefore, expires);
  }
  return undefined;
}

function audiences(decoded: DecodedJwt): string[] {
  const value = decoded.payload.aud;
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === "string");
  return [];
}

/** A certificate credential: the app signs a JWT about itself with a key whose certificate is registered. */
function verifyCertificateAssertion(decoded: DecodedJwt, principal: PrincipalRecord, tokenEndpoints: readonly string[]): EntraError | undefined {
  const sha256 = stringClaim(decoded.header, "x5t#S256");
  const sha1 = stringClaim(decoded.header, "x5t");
  const registered = principal.certificatePems.map((pem) => new X509Certificate(pem));
  const certificate = registered.find((candidate) => {
    const thumbprints = certificateThumbprints(candidate.raw);
    return (sha256 !== undefined && thumbprints.sha256 === sha256) || (sha1 !== undefined && thumbprints.sha1 === sha1);
  });
  if (!certificate) {
    const presented = Buffer.from(sha256 ?? sha1 ?? "", "base64url")
      .toString("hex")
      .toUpperCase();
    return entraErrors.certificateNotRegistered(presented, principal.clientId);
  }
  if (!verifyJwtSignature(decoded, certificate.publicKey)) return entraErrors.assertionSignatureInvalid();
  const presentedAudiences = audiences(decoded);
  const expected = tokenEndpoints.map((endpoint) => endpoint.toLowerCase());
  if (!presentedAudiences.some((audience) => expected.includes(audience.toLowerCase()))) {
    return entraErrors.assertionAudienceInvalid(presentedAudiences.join(","), tokenEndpoints[0]);
  }
  return checkTimeRange(decoded);
}

/** Workload identity federation: a token from a trusted issuer whose issuer, subject and audience match a federated credential. */
function verifyFederatedAssertion(decoded: DecodedJwt, principal: PrincipalRecord, context: IdentityContext): EntraError | undefined {
  const issuer = stringClaim(decoded.payload, "iss") ?? "";
  const subject = stringClaim(decoded.payload, "sub") ?? "";
  const byIssuer = principal.federatedCredentials.filter((credential) => credential.issuer === issuer);
  if (byIssuer.length === 0) return entraErrors.federatedIssuerMismatch(issuer);
  // The only issuer this tenant federates with is the local Azure DevOps, whose key we hold.
  if (decoded.header.kid !== context.devOpsKey.keyId || !verifyJwtSignature(decoded, context.devOpsKey.publicKey)) {
    return entraErrors.assertionSignatureInvalid();
  }
  const timeError = checkTimeRange(decoded);
  if (timeError) return timeError;
  const presentedAudiences = audiences(decoded);
  const byAudience = byIssuer.filter((credential) => credential.audiences.some((audience) => presentedAudiences.includes(audience)));
  if (byAudience.length === 0) return entraErrors.federatedAudienceMismatch(presentedAudiences.join(","));
  // Federated credentials match subjects case-sensitively.
  if (!byAudience.some((credential) => credential.subject === subject)) return entraErrors.federatedSubjectMismatch(subject);
  return undefined;
}

export function verifyClientAssertion(
  assertion: string,
  principal: PrincipalRecord,
  context: IdentityContext,
  tokenEndpoints: readonly string[],
): { ok: true; method: AuthenticationMethod } | { ok: false; error: EntraError } {
  const decoded = decodeJwt(assertion);
  if (!decoded) return { ok: false, error: entraErrors.malformedAssertion() };
  const issuer = stringClaim(decoded.payload, "iss");
  const subject = stringClaim(decoded.payload, "sub");
  const selfSigned = issuer?.toLowerCase() === principal.clientId.toLowerCase();
  if (selfSigned) {
    if (subject?.toLowerCase() !== principal.clientId.toLowerCase()) return { ok: false, error: entraErrors.assertionClientMismatch() };
    const error = verifyCertificateAssertion(decoded, principal, tokenEndpoints);
    return error ? { ok: false, error } : { ok: true, method: "certificate" };
  }
  const error = verifyFederatedAssertion(decoded, principal, context);
  return error ? { ok: false, error } : { ok: true, method: "federated" };
}
