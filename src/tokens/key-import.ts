import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { StoredKey } from '../core/types.js';

/** A private key brought with --key-file, ready to be kept in the store. */
export type ImportedKey = Pick<StoredKey, 'kid' | 'alg' | 'private_pem'>;

/** RFC 7638 JWK thumbprint: the kid of an imported key that names none, stable across imports. */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The algorithm a key can sign with: RSA ≥ 2048 bits → RS256, EC P-256 → ES256 (RFC 7518 §3.3, §3.4). */
function algOf(key: KeyObject): 'RS256' | 'ES256' {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new Error(`the RSA key is ${details.modulusLength ?? '?'} bits; RS256 needs at least 2048 (RFC 7518 §3.3)`);
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1') throw new Error(`the EC key is on ${details.namedCurve ?? 'an unknown curve'}; ES256 needs P-256 (RFC 7518 §3.4)`);
    return 'ES256';
  }
  throw new Error(`a ${key.asymmetricKeyType ?? 'symmetric'} key cannot sign RS256 or ES256; bring an RSA (2048+ bits) or EC P-256 private key`);
}

/**
 * Parses a private key from a PEM (PKCS#8, PKCS#1 or SEC1) or a JWK (RFC 7517) with its
 * private members. `expected` is the algorithm asked for with --alg, if any.
 */
export function parseKeyFile(text: string, expected?: string): ImportedKey {
  const trimmed = text.trim();
  let key: KeyObject;
  let jwk: (JsonWebKey & { kid?: unknown; alg?: unknown }) | undefined;
  if (trimmed.startsWith('{')) {
    try {
      jwk = JSON.parse(trimmed) as JsonWebKey & { kid?: unknown; alg?: unknown };
    } catch {
      throw new Error('the key file starts with "{" but is not valid JSON (expected a JWK)');
    }
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error('the key file must hold one JWK object');
    if (jwk.d === undefined) throw new Error('the JWK has no private member "d": bring the private key, not the public one');
    try {
      key = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (error) {
      throw new Error(`the JWK is not a usable private key (${(error as Error).message})`);
    }
  } else {
    if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(trimmed)) throw new Error('the PEM holds a public key: bring the private key');
    try {
      key = createPrivateKey(trimmed);
    } catch (error) {
      throw new Error(`the key file is neither a private-key PEM nor a JWK (${(error as Error).message})`);
    }
  }
  const alg = algOf(key);
  if (jwk?.alg !== undefined && jwk.alg !== alg)
    throw new Error(`the JWK says alg ${typeof jwk.alg === 'string' ? jwk.alg : JSON.stringify(jwk.alg)}, but it is a key for ${alg}`);
  if (expected !== undefined && expected !== alg) throw new Error(`--alg is ${expected}, but the key file holds a key for ${alg}`);
  const kid = typeof jwk?.kid === 'string' && jwk.kid !== '' ? jwk.kid : jwkThumbprint(key);
  return { kid, alg, private_pem: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export async function loadKeyFile(path: string, expected?: string): Promise<ImportedKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseKeyFile(text, expected);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
