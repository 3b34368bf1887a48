import { createHmac } from 'node:crypto';
import { safeEqual } from './random.js';
import type { Grant } from './types.js';

// A refresh token is `rt1.<grant id>.<generation>.<mac>`: the grant authenticates every
// generation it ever issued with its own key, so the store keeps no token, a rotated one
// is recognised as reuse (RFC 9700 §4.14.2), and a forged one as garbage. Four parts
// never look like a JWT (three).
const FORMAT = /^rt1\.([A-Za-z0-9_-]{16,64})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedRefreshToken {
  grantId: string;
  gen: number;
  mac: string;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  const match = FORMAT.exec(token);
  if (!match) return undefined;
  return { grantId: match[1] as string, gen: Number(match[2]), mac: match[3] as string };
}

function mac(key: string, grantId: string, gen: number): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(`${grantId}.${gen}`).digest('base64url');
}

export function formatRefreshToken(grant: Pick<Grant, 'id' | 'refresh_key'>, gen: number): string {
  if (grant.refresh_key === undefined) throw new Error(`grant ${grant.id} has no refresh key`);
  return `rt1.${grant.id}.${gen}.${mac(grant.refresh_key, grant.id, gen)}`;
}

/** True when the token is one this grant really issued (current or an earlier generation). */
export function isAuthentic(grant: Grant, token: ParsedRefreshToken): boolean {
  if (grant.refresh_key === undefined || grant.refresh_gen === undefined) return false;
  if (token.gen > grant.refresh_gen) return false;
  return safeEqual(mac(grant.refresh_key, grant.id, token.gen), token.mac);
}
