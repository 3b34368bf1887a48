import { hash } from 'node:crypto';
import { safeEqual } from './random.js';

// RFC 7636 §4.1/§4.2: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export type ChallengeMethod = 'S256' | 'plain';

export function isValidPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

export function isChallengeMethod(value: string): value is ChallengeMethod {
  return value === 'S256' || value === 'plain';
}

/** RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)); plain compares as is. */
export function verifierMatches(verifier: string, challenge: string, method: ChallengeMethod): boolean {
  const derived = method === 'S256' ? hash('sha256', Buffer.from(verifier, 'ascii'), 'base64url') : verifier;
  return safeEqual(derived, challenge);
}
