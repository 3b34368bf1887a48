// id_token_hint (OIDC Core §3.1.2.1; RP-Initiated Logout 1.0 §2): an ID token this server
// issued, passed back as a hint about the end user. Its signature and issuer are verified; its
// expiry is not, since a hint is typically an old token ("an expired hint is fine").
import { createSecretKey, type KeyObject } from 'node:crypto';
import { findClient } from '../core/lookup.js';
import type { Data } from '../core/types.js';
import type { KeyRing } from '../tokens/keys.js';
import { decodeJws, JwsError, verifyJws } from '../tokens/jws.js';
import { TOKEN_TYP } from '../tokens/tokens.js';

export interface IdTokenHint {
  sub: string;
  /** The client the ID token was issued to (`azp`, else the single `aud`). */
  clientId?: string;
  sid?: string;
}

export type HintResult = { ok: true; hint: IdTokenHint } | { ok: false; reason: string };

export function verifyIdTokenHint(deps: { issuer: string; keys(data: Readonly<Data>): KeyRing }, data: Readonly<Data>, token: string): HintResult {
  const decoded = decodeJws(token);
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return { ok: false, reason: 'id_token_hint is not a JWT' };
  const ring = deps.keys(data);
  if (decoded.header.alg !== ring.alg)
    return { ok: false, reason: `id_token_hint is signed with ${String(decoded.header.alg)}; this server signs with ${ring.alg}` };
  if (decoded.header.typ !== TOKEN_TYP.id) return { ok: false, reason: 'id_token_hint is not an ID token from this server' };
  const payload = decoded.payload;
  const aud =
    typeof payload.azp === 'string'
      ? payload.azp
      : typeof payload.aud === 'string'
        ? payload.aud
        : Array.isArray(payload.aud) && payload.aud.length === 1
          ? (payload.aud[0] as unknown)
          : undefined;
  // OIDC Core §10.1: under HS256 an ID token may be keyed with its client's secret.
  const candidates: KeyObject[] = [];
  const serverKey = ring.find(decoded.header.kid as string | undefined);
  if (serverKey) candidates.push(serverKey);
  const secret = typeof aud === 'string' && ring.alg === 'HS256' ? findClient(data, aud)?.secret : undefined;
  if (secret !== undefined) candidates.push(createSecretKey(Buffer.from(secret)));
  for (const key of candidates) {
    try {
      const claims = verifyJws(decoded, key, { alg: ring.alg, issuer: deps.issuer, ignoreExpiration: true });
      if (typeof claims.sub !== 'string') return { ok: false, reason: 'id_token_hint has no sub' };
      return {
        ok: true,
        hint: { sub: claims.sub, ...(typeof aud === 'string' ? { clientId: aud } : {}), ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) },
      };
    } catch (error) {
      if (error instanceof JwsError && error.reason === 'issuer') return { ok: false, reason: 'id_token_hint was issued by another issuer' };
    }
  }
  return { ok: false, reason: "id_token_hint does not verify with this server's keys" };
}
