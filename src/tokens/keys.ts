import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Meta, StoredKey } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { SigningAlg } from '../core/signing-alg.js';
import type { ImportedKey } from './key-import.js';

export { SIGNING_ALGS, type SigningAlg } from '../core/signing-alg.js';

export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: SigningAlg;
  [member: string]: string;
}

/** The keys in force: parsed once into KeyObjects (parsing raw key bytes per token costs ~50× the check). */
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
  const { privateKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(12).toString('base64url');
  return { kid, alg, private_pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), created_at: now };
}

/**
 * How long a retired key stays published by default: the longest default token lifetime
 * (1 h) with room for user tokens minted from the terminal with a longer --ttl.
 */
export const DEFAULT_KEY_GRACE = 24 * 3600;

/** Keys whose retirement grace has passed are unpublished: nothing they signed is still valid. */
export function liveKeys(keys: readonly StoredKey[], now: number): StoredKey[] {
  return keys.filter((k) => k.retired_at === undefined || (k.drop_at ?? Infinity) > now);
}

/**
 * The keys after `fresh` becomes the active key for its algorithm: the active ones of that
 * algorithm are retired but stay published for `grace` seconds (RFC 7517 §5; OIDC Core
 * §10.1.1), so tokens they signed keep verifying; expired retirees are dropped.
 */
export function withActiveKey(keys: readonly StoredKey[], fresh: StoredKey, now: number, grace = DEFAULT_KEY_GRACE): StoredKey[] {
  const retired = keys
    .filter((k) => k.kid !== fresh.kid)
    .map((k) => (k.alg === fresh.alg && k.retired_at === undefined ? { ...k, retired_at: now, drop_at: now + grace } : k));
  return [...liveKeys(retired, now), fresh];
}

export interface EnsureOptions extends KeyOptions {
  /** A key brought with --key-file: it becomes the active key (retiring the previous one) unless it already is. */
  imported?: ImportedKey;
}

/**
 * Makes sure the store holds what `alg` needs (a secret, or a key pair), generating it
 * once so tokens stay valid across restarts and the CLI signs with the same key.
 * Retired keys whose grace has passed are dropped here too (at every server start).
 */
export async function ensureKeys(store: Store, options: EnsureOptions, now: number): Promise<void> {
  const meta = store.read().meta;
  if (options.alg === 'HS256') {
    if (options.imported !== undefined)
      throw new Error(`the key file holds a ${options.imported.alg} key, but the algorithm is HS256; pass --alg ${options.imported.alg}`);
    if (options.secret !== undefined || meta.secret !== undefined) return;
    await store.update((tx) => {
      if (tx.data.meta.secret === undefined) tx.setMeta('secret', randomBytes(MIN_SECRET_BYTES).toString('base64url'));
    });
    return;
  }
  const alg = options.alg;
  const { imported } = options;
  if (imported !== undefined && imported.alg !== alg) throw new Error(`the key file holds a ${imported.alg} key, but the algorithm is ${alg}`);
  const satisfied = (keys: readonly StoredKey[]) =>
    keys.length === liveKeys(keys, now).length &&
    (imported === undefined
      ? keys.some((k) => k.alg === alg && k.retired_at === undefined)
      : keys.some((k) => k.kid === imported.kid && k.alg === alg && k.retired_at === undefined && k.private_pem === imported.private_pem));
  if (satisfied(meta.keys ?? [])) return;
  const fresh = imported === undefined ? generateStoredKey(alg, now) : { ...imported, created_at: now };
  await store.update((tx) => {
    const keys = tx.data.meta.keys ?? [];
    if (satisfied(keys)) return;
    const hasActive = keys.some((k) => k.alg === alg && k.retired_at === undefined);
    tx.setMeta('keys', imported === undefined && hasActive ? liveKeys(keys, now) : withActiveKey(keys, fresh, now));
  });
}

export interface RotateOptions {
  alg: SigningAlg;
  now: number;
  /** Seconds the previous key stays published; default DEFAULT_KEY_GRACE. */
  grace?: number;
  /** Rotate to this key instead of a generated one. */
  imported?: ImportedKey;
}

export interface RotateResult {
  alg: SigningAlg;
  /** The new signing key (none for HS256). */
  kid?: string;
  /** Keys retired by this rotation, published until `drop_at`. */
  retired: Array<{ kid: string; drop_at: number }>;
  /** HS256 only: tokens signed with the old secret no longer verify. */
  secretReplaced?: boolean;
}

/**
 * Adds a new signing key for `alg` and retires the active one. HS256 has a single secret
 * and its tokens carry no `kid`, so rotating it replaces the secret outright.
 */
export async function rotateKeys(store: Store, options: RotateOptions): Promise<RotateResult> {
  const { alg, now, imported } = options;
  if (alg === 'HS256') {
    if (imported !== undefined) throw new Error('a key file holds an RS256 or ES256 key; HS256 uses a secret');
    await store.update((tx) => tx.setMeta('secret', randomBytes(MIN_SECRET_BYTES).toString('base64url')));
    return { alg, retired: [], secretReplaced: true };
  }
  if (imported !== undefined && imported.alg !== alg) throw new Error(`the key file holds a ${imported.alg} key, not ${alg}`);
  const fresh = imported === undefined ? generateStoredKey(alg, now) : { ...imported, created_at: now };
  const grace = options.grace ?? DEFAULT_KEY_GRACE;
  return store.update((tx) => {
    const keys = tx.data.meta.keys ?? [];
    const retired = keys.filter((k) => k.alg === alg && k.retired_at === undefined && k.kid !== fresh.kid).map((k) => ({ kid: k.kid, drop_at: now + grace }));
    tx.setMeta('keys', withActiveKey(keys, fresh, now, grace));
    return { alg, kid: fresh.kid, retired };
  });
}

export interface KeyInfo {
  kid: string | null;
  alg: SigningAlg;
  status: 'active' | 'retired';
  created_at?: number;
  retired_at?: number;
  drop_at?: number;
  /** The HS256 secret's origin; never the secret itself. */
  source?: 'store' | 'flag or env';
}

/** What `keys list` shows: public facts only, never key material. */
export function listKeys(meta: Readonly<Meta>, now: number, secretOverride = false): KeyInfo[] {
  const out: KeyInfo[] = [];
  if (secretOverride) out.push({ kid: null, alg: 'HS256', status: 'active', source: 'flag or env' });
  else if (meta.secret !== undefined) out.push({ kid: null, alg: 'HS256', status: 'active', source: 'store' });
  for (const k of liveKeys(meta.keys ?? [], now)) {
    out.push({
      kid: k.kid,
      alg: k.alg,
      status: k.retired_at === undefined ? 'active' : 'retired',
      created_at: k.created_at,
      ...(k.retired_at !== undefined ? { retired_at: k.retired_at } : {}),
      ...(k.drop_at !== undefined ? { drop_at: k.drop_at } : {}),
    });
  }
  return out;
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
 * With `now`, a retired key stops verifying (and leaves the JWKS) at its `drop_at`, even
 * before anything removes it from the store.
 */
export function createKeyRingSource(options: KeyOptions & { now: () => number }): (meta: Readonly<Meta>) => KeyRing {
  const cache = new WeakMap<object, { ring: KeyRing; until: number }>();
  return (meta) => {
    const now = options.now();
    let entry = cache.get(meta);
    if (!entry || now >= entry.until) {
      if (options.alg === 'HS256') {
        const secret = options.secret ?? meta.secret;
        if (secret === undefined) throw new Error('the store holds no signing secret; start the server once to create it');
        entry = { ring: symmetricRing(secret), until: Infinity };
      } else {
        const keys = liveKeys(meta.keys ?? [], now);
        const drops = keys.filter((k) => k.retired_at !== undefined && k.drop_at !== undefined).map((k) => k.drop_at as number);
        entry = { ring: asymmetricRing(options.alg, keys), until: Math.min(Infinity, ...drops) };
      }
      cache.set(meta, entry);
    }
    return entry.ring;
  };
}
