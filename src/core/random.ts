import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

// CSPRNG bytes are drawn 4 KiB at a time and handed out once each, never twice: a round trip
// makes five or so ids, keys and jtis, and a randomBytes() call per token (a fresh buffer and a
// trip into OpenSSL each) cost ~2 µs against ~0.1 µs for a slice of the pool (bench/notes.md).
// Process-wide like Node's own randomUUID() cache; it holds no state of any app.
const pool = Buffer.allocUnsafe(4096);
let taken = pool.length;

/** base64url of `bytes` CSPRNG bytes; 32 bytes = 256 bits (RFC 6749 §10.10 asks for ≥128). */
export function randomToken(bytes = 32): string {
  if (bytes > pool.length) return randomBytes(bytes).toString('base64url');
  if (taken + bytes > pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const token = pool.toString('base64url', taken, taken + bytes);
  taken += bytes;
  return token;
}

/** One-shot SHA-256 (crypto.hash: no Hash object per call, ~5x cheaper for short inputs). */
export function sha256(value: string | Buffer): Buffer {
  return hash('sha256', value, 'buffer');
}

/** The store never holds a live code: it is keyed by this digest instead. */
export function digestKey(value: string): string {
  return hash('sha256', value, 'base64url');
}

/**
 * Constant-time string equality. Hashing first gives equal-length inputs, so neither
 * the content nor the length of the secret leaks through timing (OIDC Core §16.12).
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
