import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface RsaKeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Node's native generator: node-forge's pure-JS one takes seconds for 2048 bits. */
export function generateRsaKeyPair(): RsaKeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export function forgeKeys(pair: RsaKeyPairPem): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const privateKey = forge.pki.privateKeyFromPem(pair.privateKeyPem);
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  return { privateKey, publicKey };
}
