import { join } from "node:path";
import { randomBytes, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { readTextIfExists, writeFileAtomic } from "../state/atomicFile";
import { forgeKeys, generateRsaKeyPair } from "./rsaKeys";

export interface CertificateFiles {
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const caSubject = [
  { name: "commonName", value: "Local Azure Root CA" },
  { name: "organizationName", value: "Local Azure emulator" },
];

function serialNumber(): string {
  // A leading 0x01 keeps the DER integer positive, as RFC 5280 requires.
  return "01" + randomBytes(15).toString("hex");
}

function validity(certificate: forge.pki.Certificate, days: number): void {
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = new Date(notBefore.getTime() + days * 24 * 60 * 60 * 1000);
}

function createCa(): { certPem: string; keyPem: string } {
  const pair = generateRsaKeyPair();
  const { privateKey, publicKey } = forgeKeys(pair);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = serialNumber();
  validity(certificate, 3650);
  certificate.setSubject(caSubject);
  certificate.setIssuer(caSubject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(certificate), keyPem: pair.privateKeyPem };
}

function issueServerCertificate(caCertPem: string, caKeyPem: string, dnsNames: string[]): { certPem: string; keyPem: string } {
  const caCertificate = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const pair = generateRsaKeyPair();
  const { publicKey } = forgeKeys(pair);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = serialNumber();
  validity(certificate, 365);
  certificate.setSubject([{ name: "commonName", value: "localhost" }]);
  certificate.setIssuer(caCertificate.subject.attributes);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [...dnsNames.map((value) => ({ type: 2, value })), { type: 7, ip: "127.0.0.1" }],
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCertificate.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(certificate), keyPem: pair.privateKeyPem };
}

/** The previous run's server certificate, if this CA issued it for the same names and it is valid for another week. */
function reusableServerCertificate(certPath: string, keyPath: string, caCertPem: string, dnsNames: string[]): { certPem: string; keyPem: string } | undefined {
  const certPem = readTextIfExists(certPath);
  const keyPem = readTextIfExists(keyPath);
  if (!certPem || !keyPem) return undefined;
  const certificate = new X509Certificate(certPem);
  const wanted = [...dnsNames.map((name) => `DNS:${name}`), "IP Address:127.0.0.1"].sort().join(", ");
  const present = (certificate.subjectAltName ?? "").split(", ").sort().join(", ");
  const weekFromNow = Date.now() + 7 * 24 * 3600 * 1000;
  const issuedByThisCa = certificate.verify(new X509Certificate(caCertPem).publicKey);
  return present === wanted && issuedByThisCa && new Date(certificate.validTo).getTime() > weekFromNow ? { certPem, keyPem } : undefined;
}

/**
 * The CA is made on the first start and kept in the state folder, so clients started with
 * NODE_EXTRA_CA_CERTS keep trusting the emulator across its restarts. The server certificate is
 * kept too, and issued again when the host names it must cover change or it nears expiry.
 */
export function prepareCertificates(stateDir: string, dnsNames: string[]): CertificateFiles {
  const tlsDir = join(stateDir, "tls");
  const caCertPath = join(tlsDir, "ca.pem");
  const caKeyPath = join(tlsDir, "ca-key.pem");
  let caCertPem = readTextIfExists(caCertPath);
  let caKeyPem = readTextIfExists(caKeyPath);
  if (!caCertPem || !caKeyPem) {
    const ca = createCa();
    caCertPem = ca.certPem;
    caKeyPem = ca.keyPem;
    writeFileAtomic(caKeyPath, caKeyPem);
    writeFileAtomic(caCertPath, caCertPem, 0o644);
  }
  const serverCertPath = join(tlsDir, "server.pem");
  const serverKeyPath = join(tlsDir, "server-key.pem");
  const reusable = reusableServerCertificate(serverCertPath, serverKeyPath, caCertPem, dnsNames);
  const server = reusable ?? issueServerCertificate(caCertPem, caKeyPem, dnsNames);
  if (!reusable) {
    writeFileAtomic(serverCertPath, server.certPem, 0o644);
    writeFileAtomic(serverKeyPath, server.keyPem);
  }
  return { caCertPath, serverCertPath, serverKeyPath, caCertPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem };
}

/** A self-signed certificate for a service principal, as `az ad sp create-for-rbac --create-cert` makes. */
export function createSelfSignedClientCertificate(commonName: string): { certPem: string; keyPem: string } {
  const pair = generateRsaKeyPair();
  const { privateKey, publicKey } = forgeKeys(pair);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = serialNumber();
  validity(certificate, 365);
  const subject = [{ name: "commonName", value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());
  const pkcs8Pem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey)));
  return { certPem: forge.pki.certificateToPem(certificate), keyPem: pkcs8Pem };
}
