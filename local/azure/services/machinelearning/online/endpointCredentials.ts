import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { isJsonObject, JsonObject } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { base64UrlEncode, decodeJwt, numericClaim, stringClaim } from "../../../identity/jwt";

/** An endpoint's two keys, as ListKeys returns them. */
export interface EndpointKeys {
  primaryKey: string;
  secondaryKey: string;
}

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A key like Azure ML's: 32 letters and digits. */
export function newEndpointKey(): string {
  let key = "";
  for (let index = 0; index < 32; index++) key += keyAlphabet[randomInt(keyAlphabet.length)];
  return key;
}

/** What an endpoint keeps beside its body: its keys and the secret its AML tokens are signed with. */
export function newEndpointSecrets(given: EndpointKeys | undefined): JsonObject {
  return {
    keys: { primaryKey: given?.primaryKey ?? newEndpointKey(), secondaryKey: given?.secondaryKey ?? newEndpointKey() },
    tokenSecret: randomBytes(32).toString("base64"),
  };
}

export function endpointKeys(endpoint: StoredResource): EndpointKeys {
  const keys = endpoint.secrets.keys;
  if (!isJsonObject(keys) || typeof keys.primaryKey !== "string" || typeof keys.secondaryKey !== "string") {
    throw new Error(`Endpoint ${endpoint.id} has no keys in its state.`);
  }
  return { primaryKey: keys.primaryKey, secondaryKey: keys.secondaryKey };
}

function sameText(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `presented` is one of the endpoint's two keys. */
export function isEndpointKey(endpoint: StoredResource, presented: string): boolean {
  const { primaryKey, secondaryKey } = endpointKeys(endpoint);
  // Both compared, whatever the first gave, so the time taken says nothing about which matched.
  const primary = sameText(presented, primaryKey);
  const secondary = sameText(presented, secondaryKey);
  return primary || secondary;
}

/** How long an AML token lives, and after how long a client should fetch a new one. */
const tokenLifetimeSeconds = 24 * 3600;
const tokenRefreshAfterSeconds = 23 * 3600;

export interface AmlToken {
  accessToken: string;
  tokenType: string;
  expiryTimeUtc: number;
  refreshAfterTimeUtc: number;
}

function tokenSecret(endpoint: StoredResource): Buffer {
  const secret = endpoint.secrets.tokenSecret;
  if (typeof secret !== "string") throw new Error(`Endpoint ${endpoint.id} has no token secret in its state.`);
  return Buffer.from(secret, "base64");
}

function hmac(endpoint: StoredResource, signingInput: string): Buffer {
  return createHmac("sha256", tokenSecret(endpoint)).update(signingInput).digest();
}

/**
 * A token for an AMLToken endpoint (GetToken): a JWT scoped to this endpoint, signed with the
 * endpoint's own secret, so only it accepts the token and a token outlives a restart.
 */
export function issueAmlToken(endpoint: StoredResource, now = Date.now()): AmlToken {
  const issuedAt = Math.floor(now / 1000);
  const payload = { aud: endpoint.id.toLowerCase(), iss: "azureml", iat: issuedAt, nbf: issuedAt, exp: issuedAt + tokenLifetimeSeconds };
  const signingInput = `${base64UrlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64UrlEncode(JSON.stringify(payload))}`;
  return {
    accessToken: `${signingInput}.${base64UrlEncode(hmac(endpoint, signingInput))}`,
    tokenType: "Bearer",
    expiryTimeUtc: payload.exp,
    refreshAfterTimeUtc: issuedAt + tokenRefreshAfterSeconds,
  };
}

/** Whether `token` is an unexpired AML token of this endpoint. */
export function isAmlToken(endpoint: StoredResource, token: string, now = Date.now()): boolean {
  const decoded = decodeJwt(token);
  if (!decoded || decoded.header.alg !== "HS256") return false;
  const expected = hmac(endpoint, decoded.signingInput);
  if (expected.length !== decoded.signature.length || !timingSafeEqual(expected, decoded.signature)) return false;
  const expires = numericClaim(decoded.payload, "exp") ?? 0;
  return stringClaim(decoded.payload, "aud") === endpoint.id.toLowerCase() && expires > Math.floor(now / 1000);
}
