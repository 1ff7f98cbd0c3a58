import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

/** A PEM certificate with its PEM private key. */
export interface CertificateAndKey {
  certificatePem: string;
  privateKeyPem: string;
}

export interface ServerIdentity {
  dnsNames: string[];
  ipAddresses: string[];
}

// Key pairs come from node:crypto (native, fast); node-forge only assembles and signs certificates.
function newKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privateKeyPem: privateKey,
  };
}

function newCertificate(subject: string, publicKey: forge.pki.rsa.PublicKey): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = `01${randomBytes(8).toString("hex")}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  certificate.setSubject([{ name: "commonName", value: subject }]);
  return certificate;
}

/** A throw-away certificate authority, made at test start. */
export class TestCertificateAuthority {
  private constructor(
    private readonly certificate: forge.pki.Certificate,
    private readonly privateKey: forge.pki.rsa.PrivateKey,
  ) {}

  static create(name = "Test CA"): TestCertificateAuthority {
    const keys = newKeyPair();
    const certificate = newCertificate(name, keys.publicKey);
    certificate.setIssuer(certificate.subject.attributes);
    certificate.setExtensions([
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ]);
    certificate.sign(keys.privateKey, forge.md.sha256.create());
    return new TestCertificateAuthority(certificate, keys.privateKey);
  }

  get certificatePem(): string {
    return forge.pki.certificateToPem(this.certificate);
  }

  /** A TLS server certificate for the given names and addresses, signed by this CA. */
  issueServerCertificate(identity: ServerIdentity): CertificateAndKey {
    const keys = newKeyPair();
    const certificate = newCertificate(identity.dnsNames[0] ?? identity.ipAddresses[0] ?? "server", keys.publicKey);
    certificate.setIssuer(this.certificate.subject.attributes);
    certificate.setExtensions([
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...identity.dnsNames.map((value) => ({ type: 2, value })), ...identity.ipAddresses.map((ip) => ({ type: 7, ip }))],
      },
    ]);
    certificate.sign(this.privateKey, forge.md.sha256.create());
    return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
  }
}

/** A self-signed certificate such as a service principal's, with its private key. */
export function createClientCertificate(subject: string): CertificateAndKey {
  const keys = newKeyPair();
  const certificate = newCertificate(subject, keys.publicKey);
  certificate.setIssuer(certificate.subject.attributes);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
}
