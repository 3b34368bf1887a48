import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Meta, StoredKey } from '../core/types.js';
import type { Store } from '../store/types.js';

export type SigningAlg = 'HS256' | 'RS256' | 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['HS256', 'RS256', 'ES256'];

export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: SigningAlg;
  [member: string]: string;
}

/** The keys in force: parsed once into KeyObjects (jsonwebtoken is ~50× slower given raw bytes). */
export interface KeyRing {
  readonly alg: SigningAlg;
  /** The key new tokens are signed with, and its `kid` (none for HS256). */
  readonly signing: { key: KeyObject; kid?: string };
  /** The key that verifies a token carrying header `kid`; undefined when none does. */
  find(kid: string | undefined): KeyObject | undefined;
  /** RFC 7517 JWK Set with public members only; empty for HS256 (a secret is never published). */
  readonly jwks: { keys: PublicJwk[] };
}

export const MIN_SECRET_BYTES = 32;

export function secretProblem(secret: string): string | undefined {
  return Buffer.byteLength(secret) < MIN_SECRET_BYTES
    ? `the signing secret must be at least ${MIN_SECRET_BYTES} bytes (RFC 7518 §3.2); got ${Buffer.byteLength(secret)}`
    : undefined;
}

export interface KeyOptions {
  alg: SigningAlg;
  /** A secret from --secret or OAUTH_MOCK_SECRET; it wins over the one kept in the store. */
  secret?: string;
}

export function generateStoredKey(alg: 'RS256' | 'ES256', now: number): StoredKey {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(12).toString('base64url');
  return { kid, alg, private_pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), created_at: now };
}

/**
 * Makes sure the store holds what `alg` needs (a secret, or a key pair), generating it
 * once so tokens stay valid across restarts and the CLI signs with the same key.
 */
export async function ensureKeys(store: Store, options: KeyOptions, now: number): Promise<void> {
  const meta = store.read().meta;
  if (options.alg === 'HS256') {
    if (options.secret !== undefined || meta.secret !== undefined) return;
    await store.update((tx) => {
      if (tx.data.meta.secret === undefined) tx.setMeta('secret', randomBytes(MIN_SECRET_BYTES).toString('base64url'));
    });
    return;
  }
  const alg = options.alg;
  if (meta.keys?.some((k) => k.alg === alg && k.retired_at === undefined)) return;
  const fresh = generateStoredKey(alg, now);
  await store.update((tx) => {
    const keys = tx.data.meta.keys ?? [];
    if (!keys.some((k) => k.alg === alg && k.retired_at === undefined)) tx.setMeta('keys', [...keys, fresh]);
  });
}

function asymmetricRing(alg: 'RS256' | 'ES256', stored: StoredKey[]): KeyRing {
  const usable = stored.filter((k) => k.alg === alg);
  const active = usable.filter((k) => k.retired_at === undefined).at(-1);
  if (!active) throw new Error(`the store holds no ${alg} signing key; start the server once with --alg ${alg}`);
  const privateKeys = new Map(usable.map((k) => [k.kid, createPrivateKey(k.private_pem)]));
  const publicKeys = new Map([...privateKeys].map(([kid, key]) => [kid, createPublicKey(key)]));
  const jwks = [...publicKeys].map(([kid, key]) => {
    const { kty, n, e, crv, x, y } = key.export({ format: 'jwk' });
    const members = Object.fromEntries(Object.entries({ n, e, crv, x, y }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return { kty: kty as string, kid, use: 'sig' as const, alg, ...members };
  });
  return {
    alg,
    signing: { key: privateKeys.get(active.kid) as KeyObject, kid: active.kid },
    find: (kid) => (kid === undefined ? undefined : publicKeys.get(kid)),
    jwks: { keys: jwks },
  };
}

function symmetricRing(secret: string): KeyRing {
  const problem = secretProblem(secret);
  if (problem) throw new Error(problem);
  const key = createSecretKey(Buffer.from(secret));
  // HS256 tokens carry no kid; a token that names one was not signed by us.
  return { alg: 'HS256', signing: { key }, find: (kid) => (kid === undefined ? key : undefined), jwks: { keys: [] } };
}

/**
 * Builds key rings from the store's meta, once per meta version: the store replaces
 * meta on every change, so a rotation made by the CLI is picked up on the next request.
 */
export function createKeyRingSource(options: KeyOptions): (meta: Readonly<Meta>) => KeyRing {
  const cache = new WeakMap<object, KeyRing>();
  return (meta) => {
    let ring = cache.get(meta);
    if (!ring) {
      if (options.alg === 'HS256') {
        const secret = options.secret ?? meta.secret;
        if (secret === undefined) throw new Error('the store holds no signing secret; start the server once to create it');
        ring = symmetricRing(secret);
      } else {
        ring = asymmetricRing(options.alg, meta.keys ?? []);
      }
      cache.set(meta, ring);
    }
    return ring;
  };
}
