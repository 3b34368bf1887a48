// Where the misbehaviours act: one function per surface (token signing, JWKS, discovery,
// userinfo). The core and the actions only call the injected hook; all the wrongness is here.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { epochSeconds, type Clock } from '../core/clock.js';
import { atHash, type Signing, type TokenTamper } from '../tokens/tokens.js';
import { generateStoredKey, type KeyRing, type PublicJwk } from '../tokens/keys.js';
import type { Misbehaviours } from './misbehaviours.js';

/** An issuer no server has: what a wrong `iss` is. */
export const WRONG_ISSUER = 'https://wrong-issuer.oauth-mock.invalid';

interface ExtraKey {
  kid: string;
  key: KeyObject;
  jwk: PublicJwk;
}

function extraKey(alg: 'RS256' | 'ES256'): ExtraKey {
  const stored = generateStoredKey(alg, 0);
  const key = createPrivateKey(stored.private_pem);
  const jwk = { ...(createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>), kid: stored.kid, use: 'sig', alg } as PublicJwk;
  return { kid: stored.kid, key, jwk };
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export interface Tampering {
  token: TokenTamper;
  /** The JWK Set to publish instead of `jwks`, or undefined to publish it as is. */
  jwks(jwks: KeyRing['jwks']): KeyRing['jwks'] | undefined;
  discovery(doc: object): object | undefined;
  userinfo(claims: Record<string, unknown>): Record<string, unknown>;
  /** Whether the JWKS differs from the key ring's (then it is not served from a cache). */
  publishesExtraKeys(): boolean;
  /** Unpublishes the keys added by misbehaviours. */
  clear(): void;
}

export function createTampering(misbehaviours: Misbehaviours, clock: Clock): Tampering {
  // A decoy key published while kid_absent_multiple_keys is set, and rotated keys once used.
  let decoy: ExtraKey | undefined;
  const rotated: ExtraKey[] = [];

  function idToken(signing: Signing, ring: KeyRing): { signing: Signing; finish?: (token: string) => string } {
    const claims = { ...signing.claims };
    const header = { ...signing.header };
    let key = signing.key;
    const take = (name: Parameters<Misbehaviours['take']>[0]) => misbehaviours.take(name);
    const now = epochSeconds(clock);
    if (take('id_token.wrong_issuer')) claims.iss = WRONG_ISSUER;
    if (take('id_token.sub_missing')) delete claims.sub;
    if (take('id_token.wrong_audience')) claims.aud = 'another-client';
    if (take('id_token.multiple_aud_without_azp')) {
      claims.aud = [...(Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud]), 'another-client'];
      delete claims.azp;
    }
    if (take('id_token.iat_missing')) delete claims.iat;
    if (take('id_token.expired')) {
      claims.iat = now - 7200;
      claims.exp = now - 3600;
    }
    if (take('id_token.iat_future')) {
      claims.iat = now + 3600;
      claims.exp = now + 7200;
    }
    if (take('id_token.nonce_mismatch')) claims.nonce = `not-${typeof claims.nonce === 'string' ? claims.nonce : 'the-nonce'}`;
    if (take('id_token.at_hash_wrong')) claims.at_hash = atHash(randomBytes(16).toString('base64url'));
    const kidSingle = take('id_token.kid_absent_single_key');
    const kidMultiple = take('id_token.kid_absent_multiple_keys');
    if (kidSingle || kidMultiple) delete header.kid;
    // Several keys from now on, so a relying party cannot tell which one signed.
    if (kidMultiple && decoy === undefined && ring.alg !== 'HS256') decoy = extraKey(ring.alg);
    if (take('id_token.key_rotated') && ring.alg !== 'HS256') {
      // Published from now on: a relying party that refetches the JWKS finds it.
      const fresh = extraKey(ring.alg);
      rotated.push(fresh);
      key = fresh.key;
      header.kid = fresh.kid;
    }
    const unsigned = take('id_token.alg_none');
    const badSignature = take('id_token.bad_signature');
    const finish =
      unsigned || badSignature
        ? (token: string) => {
            const [head, payload, signature] = token.split('.') as [string, string, string];
            if (unsigned) return `${b64json({ alg: 'none', typ: header.typ })}.${payload}.`;
            // Same header and claims, another signature: flip bits of its first bytes.
            const bytes = Buffer.from(signature, 'base64url');
            for (let i = 0; i < 4 && i < bytes.length; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
            return `${head}.${payload}.${bytes.toString('base64url')}`;
          }
        : undefined;
    return { signing: { ...signing, claims, header, key }, ...(finish ? { finish } : {}) };
  }

  return {
    token(signing, ring) {
      if (signing.kind !== 'id' || !misbehaviours.any('id_token.')) return undefined;
      return idToken(signing, ring);
    },
    jwks(jwks) {
      const alg = jwks.keys[0]?.alg;
      if (misbehaviours.has('id_token.kid_absent_multiple_keys') && decoy === undefined && (alg === 'RS256' || alg === 'ES256')) decoy = extraKey(alg);
      if (decoy === undefined && rotated.length === 0) return undefined;
      return { keys: [...jwks.keys, ...(decoy ? [decoy.jwk] : []), ...rotated.map((k) => k.jwk)] };
    },
    discovery(doc) {
      return misbehaviours.take('discovery.wrong_issuer') ? { ...doc, issuer: WRONG_ISSUER } : undefined;
    },
    userinfo(claims) {
      return misbehaviours.take('userinfo.wrong_sub') ? { ...claims, sub: `not-${String(claims.sub)}` } : claims;
    },
    publishesExtraKeys: () => decoy !== undefined || rotated.length > 0 || misbehaviours.has('id_token.kid_absent_multiple_keys'),
    clear() {
      decoy = undefined;
      rotated.length = 0;
    },
  };
}
