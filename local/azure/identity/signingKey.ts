import { createPrivateKey, createPublicKey, KeyObject, createHash } from "node:crypto";
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "../state/atomicFile";
import { generateRsaKeyPair } from "../certificates/rsaKeys";
import { JsonObject } from "../state/json";

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Kept in the state folder so tokens issued before a restart still verify after it. */
export function loadOrCreateSigningKey(stateDir: string, fileName: string): SigningKey {
  const path = join(stateDir, "identity", fileName);
  let pem = readTextIfExists(path);
  if (!pem) {
    pem = generateRsaKeyPair().privateKeyPem;
    writeFileAtomic(path, pem);
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64url")
    .slice(0, 27);
  return { keyId, privateKey, publicKey };
}

export function jsonWebKeySet(keys: SigningKey[]): JsonObject {
  return {
    keys: keys.map((key) => {
      const jwk = key.publicKey.export({ format: "jwk" });
      return { kty: "RSA", use: "sig", kid: key.keyId, n: String(jwk.n), e: String(jwk.e) };
    }),
  };
}
