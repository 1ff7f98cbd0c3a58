import { randomUUID } from "node:crypto";
import { JsonObject } from "../state/json";
import { decodeJwt, numericClaim, signJwt, stringClaim, verifyJwtSignature } from "./jwt";
import { SigningKey } from "./signingKey";
import { PrincipalRecord } from "./directory";

export type AuthenticationMethod = "secret" | "certificate" | "federated" | "managedIdentity";

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  expiresOnSeconds: number;
  notBeforeSeconds: number;
}

export type TokenCheck =
  | { ok: true; objectId: string; appId: string; audience: string; claims: JsonObject }
  | { ok: false; reason: "malformed" | "signature" | "issuer" }
  | { ok: false; reason: "expired"; expiresOnSeconds: number }
  | { ok: false; reason: "notYetValid"; notBeforeSeconds: number }
  | { ok: false; reason: "audience"; audience: string };

/** Entra's "appidacr": 1 for a secret, 2 for a certificate or federated assertion. */
function applicationAuthenticationContext(method: AuthenticationMethod): string {
  return method === "secret" ? "1" : "2";
}

/**
 * Issues and checks the access tokens of this tenant: RS256 JWTs shaped like Entra's v1 access
 * tokens (which is what ARM receives), with the configured lifetime.
 */
export class AccessTokenService {
  constructor(
    private readonly key: SigningKey,
    private readonly tenantId: string,
    private readonly authorityUrl: string,
    private readonly lifetimeSeconds: number,
  ) {}

  issuer(): string {
    return `${this.authorityUrl}/${this.tenantId}/`;
  }

  issue(principal: PrincipalRecord, audience: string, method: AuthenticationMethod): IssuedToken {
    const now = Math.floor(Date.now() / 1000);
    const expiresOn = now + this.lifetimeSeconds;
    const claims: JsonObject = {
      aud: audience,
      iss: this.issuer(),
      iat: now,
      nbf: now,
      exp: expiresOn,
      aio: randomUUID(),
      appid: principal.clientId,
      appidacr: applicationAuthenticationContext(method),
      idp: this.issuer(),
      idtyp: "app",
      oid: principal.objectId,
      rh: randomUUID(),
      sub: principal.objectId,
      tid: this.tenantId,
      uti: randomUUID().replace(/-/g, ""),
      ver: "1.0",
    };
    const accessToken = signJwt({ kid: this.key.keyId, x5t: this.key.keyId }, claims, this.key.privateKey);
    return { accessToken, expiresInSeconds: this.lifetimeSeconds, expiresOnSeconds: expiresOn, notBeforeSeconds: now };
  }

  /** The audience check is the caller's: ARM and storage accept different ones. */
  check(token: string, acceptedAudiences: readonly string[]): TokenCheck {
    const decoded = decodeJwt(token);
    if (!decoded) return { ok: false, reason: "malformed" };
    if (decoded.header.kid !== this.key.keyId || !verifyJwtSignature(decoded, this.key.publicKey)) return { ok: false, reason: "signature" };
    const issuer = stringClaim(decoded.payload, "iss");
    // The port may differ after a restart; the tenant is what identifies the issuer.
    if (!issuer || !issuer.endsWith(`/${this.tenantId}/`)) return { ok: false, reason: "issuer" };
    const now = Math.floor(Date.now() / 1000);
    const expiresOn = numericClaim(decoded.payload, "exp");
    const notBefore = numericClaim(decoded.payload, "nbf");
    if (expiresOn === undefined || expiresOn <= now) return { ok: false, reason: "expired", expiresOnSeconds: expiresOn ?? 0 };
    if (notBefore !== undefined && notBefore > now) return { ok: false, reason: "notYetValid", notBeforeSeconds: notBefore };
    const audience = stringClaim(decoded.payload, "aud") ?? "";
    if (!acceptedAudiences.some((accepted) => accepted.toLowerCase() === audience.toLowerCase())) return { ok: false, reason: "audience", audience };
    const objectId = stringClaim(decoded.payload, "oid");
    const appId = stringClaim(decoded.payload, "appid");
    if (!objectId || !appId) return { ok: false, reason: "malformed" };
    return { ok: true, objectId, appId, audience, claims: decoded.payload };
  }
}
