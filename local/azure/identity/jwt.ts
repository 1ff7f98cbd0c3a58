import { constants, createHash, KeyObject, sign, verify } from "node:crypto";
import { isJsonObject, JsonObject } from "../state/json";

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

export function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function signJwt(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const signingInput = `${base64UrlEncode(JSON.stringify({ ...header, alg: "RS256", typ: "JWT" }))}.${base64UrlEncode(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), privateKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (!isJsonObject(header) || !isJsonObject(payload)) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return undefined;
  }
}

/** RS256 is what we sign with; PS256 is what MSAL uses for certificate assertions with a SHA-256 thumbprint. */
export function verifyJwtSignature(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  const data = Buffer.from(decoded.signingInput);
  switch (decoded.header.alg) {
    case "RS256":
      return verify("sha256", data, publicKey, decoded.signature);
    case "PS256":
      return verify(
        "sha256",
        data,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        decoded.signature,
      );
    default:
      return false;
  }
}

export function numericClaim(payload: JsonObject, name: string): number | undefined {
  const value = payload[name];
  return typeof value === "number" ? value : undefined;
}

export function stringClaim(payload: JsonObject, name: string): string | undefined {
  const value = payload[name];
  return typeof value === "string" ? value : undefined;
}

export function certificateThumbprints(certificateDer: Buffer): { sha1: string; sha256: string } {
  return {
    sha1: createHash("sha1").update(certificateDer).digest("base64url"),
    sha256: createHash("sha256").update(certificateDer).digest("base64url"),
  };
}
