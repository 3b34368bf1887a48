// `start --cert FILE --key FILE`: the user's own pair (from mkcert, a company CA...) instead of
// the generated CA. Checked before the port opens, so a bad pair is one clear error.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TlsMaterials } from './tls-dir.js';

/** The pair cannot be used; the message says which file and why. */
export class TlsPairError extends Error {}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new TlsPairError(`cannot read the ${what} ${path}: ${why}`);
  }
}

/**
 * Checks a PEM pair: the certificate parses (the first one is the server's; any after it are
 * its chain), the key parses, and the key is the certificate's. `names` says how to call the
 * two in messages (`--cert x.pem`, `https.cert`). Returns whether the certificate is self-signed
 * (then it is its own CA; otherwise clients trust whoever issued it, mkcert's root say).
 */
export function checkPair(cert: string, key: string, names: { cert: string; key: string }): { selfSigned: boolean } {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsPairError(`${names.cert} is not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(key) || /passphrase/i.test((error as Error).message);
    throw new TlsPairError(encrypted ? `${names.key} is encrypted; give an unencrypted key` : `${names.key} is not a PEM private key`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsPairError(`${names.key} does not belong to the certificate in ${names.cert} (mismatched pair)`);
  return { selfSigned: x509.checkIssued(x509) && x509.verify(x509.publicKey) };
}

/** Reads the files of `--cert` and `--key` and checks them as a pair. */
export async function readUserPair(certPath: string, keyPath: string): Promise<TlsMaterials> {
  const [cert, key] = await Promise.all([readPem(certPath, '--cert file'), readPem(keyPath, '--key file')]);
  const { selfSigned } = checkPair(cert, key, { cert: `--cert ${certPath}`, key: `--key ${keyPath}` });
  return { ca: selfSigned ? cert : undefined, caPath: selfSigned ? certPath : undefined, cert, key, made: 'user pair' };
}
