// Compact JWS signing (RFC 7515 §7.1) straight through node:crypto: the one place tokens are
// signed. The protected header of each (alg, typ, kid) is serialized and encoded once.
// Verification stays in tokens.ts (alg pinned, exp required, crit refused).
import { createHmac, sign as signDigest, type KeyObject } from 'node:crypto';
import type { SigningAlg } from '../core/signing-alg.js';

export interface JwsHeader {
  alg: string;
  typ: string;
  kid?: string;
}

const encodedHeaders = new Map<string, string>();
// Bounded: headers are few (alg × typ × kid), but a tampered header must not grow it forever.
const MAX_HEADERS = 256;

/** base64url(JSON(header)), computed once per distinct header. */
export function encodeHeader(header: JwsHeader): string {
  const cacheKey = `${header.alg}\u0000${header.typ}\u0000${header.kid ?? ''}`;
  let encoded = encodedHeaders.get(cacheKey);
  if (encoded === undefined) {
    encoded = Buffer.from(JSON.stringify(header)).toString('base64url');
    // Only plain headers are cached: one with other members is encoded as it is.
    if (Object.keys(header).length <= 3 && encodedHeaders.size < MAX_HEADERS) encodedHeaders.set(cacheKey, encoded);
  }
  return encoded;
}

/** `header.payload.signature` for `alg` (HS256, RS256 or ES256, RFC 7518 §3.2–3.4). */
export function signJws(alg: SigningAlg, key: KeyObject | string, header: JwsHeader, claims: Record<string, unknown>): string {
  const input = `${encodeHeader(header)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  let signature: Buffer;
  if (alg === 'HS256') signature = createHmac('sha256', key).update(input).digest();
  // RFC 7518 §3.4: ES256 signatures are R || S, not DER.
  else if (alg === 'ES256') signature = signDigest('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else signature = signDigest('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}
