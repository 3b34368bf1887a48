// A local certificate authority and the server certificates it issues, for `start --https`.
// node:crypto can make keys and read certificates but cannot issue them, so node-forge builds
// and signs the X.509 structures; the RSA keys themselves come from node:crypto (native, fast).
import { generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** The CA outlives many server certificates, so a browser or OS trust store keeps working. */
export const CA_DAYS = 10 * 365;
/**
 * 825 days: the longest TLS server certificate Apple platforms accept even from a
 * user-trusted root (browsers cap publicly trusted ones lower; a local root is exempt).
 */
export const SERVER_DAYS = 825;
/** A server certificate this close to expiry is re-issued at the next start. */
export const RENEW_BEFORE_DAYS = 30;

const newRsaKey = promisify(generateKeyPair);

async function rsaKeyPair(): Promise<{ privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string }> {
  const { privateKey } = await newRsaKey('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

/** RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes, top bit clear. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, now: Date, days: number): void {
  // An hour back, so a client whose clock is slightly behind still accepts it.
  cert.validity.notBefore = new Date(now.getTime() - 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}

/** A new self-signed CA, only for signing server certificates (RFC 5280 §4.2.1.9: pathLen 0). */
export async function createCa(now: Date = new Date()): Promise<PemPair> {
  const keys = await rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, now, CA_DAYS);
  const subject = [
    // A distinct name per CA, so two machines' CAs are told apart in a trust store.
    { name: 'commonName', value: `oauth-mock local CA ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'oauth-mock (development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

/** A server certificate for `names` (DNS names and IP addresses), signed by `ca`. */
export async function issueServerCert(ca: PemPair, names: readonly string[], now: Date = new Date()): Promise<PemPair> {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = await rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, now, SERVER_DAYS);
  cert.setSubject([
    { name: 'commonName', value: names[0] ?? 'localhost' },
    { name: 'organizationName', value: 'oauth-mock (development only)' },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // RFC 6125 §6.4.4: clients match the SAN only, never the CN, so every name goes here.
    { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

/**
 * The names a server certificate must cover: localhost, 127.0.0.1 and ::1 always, plus the
 * bound host and the issuer's host. Wildcard binds (0.0.0.0, ::) are not names a client
 * connects to, so they are left out.
 */
export function serverNames(host: string, issuer?: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  const add = (name: string) => {
    const bare = name.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (bare === '' || bare === '0.0.0.0' || bare === '::' || names.includes(bare)) return;
    names.push(bare);
  };
  add(host);
  if (issuer !== undefined) add(new URL(issuer).hostname);
  return names;
}

/** Whether `cert` was signed by `ca`, covers every name and is not close to expiry at `now`. */
export function serverCertFits(cert: string, ca: string, names: readonly string[], now: Date = new Date()): boolean {
  let x509: X509Certificate;
  let caX509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
    caX509 = new X509Certificate(ca);
  } catch {
    return false;
  }
  if (!x509.checkIssued(caX509) || !x509.verify(caX509.publicKey)) return false;
  if (new Date(x509.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return false;
  return names.every((name) => (isIP(name) ? x509.checkIP(name) !== undefined : x509.checkHost(name, { wildcards: false }) !== undefined));
}

/** Whether `ca` is a usable CA certificate at `now` (not expired, a CA). */
export function caUsable(ca: string, now: Date = new Date()): boolean {
  try {
    const x509 = new X509Certificate(ca);
    return x509.ca && new Date(x509.validTo).getTime() > now.getTime() + RENEW_BEFORE_DAYS * DAY_MS;
  } catch {
    return false;
  }
}
