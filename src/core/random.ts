import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** base64url of `bytes` CSPRNG bytes; 32 bytes = 256 bits (RFC 6749 §10.10 asks for ≥128). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The store never holds a live code: it is keyed by this digest instead. */
export function digestKey(value: string): string {
  return sha256(value).toString('base64url');
}

/**
 * Constant-time string equality. Hashing first gives equal-length inputs, so neither
 * the content nor the length of the secret leaks through timing (OIDC Core §16.12).
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
