// Switches that make the next N tokens or responses wrong in one precise way: the negative cases
// of the OpenID RP certification, so a suite can prove its relying party refuses each.

interface Misbehaviour {
  /** What is wrong on the wire. */
  does: string;
  /** The OpenID RP certification test (or spec rule) it mirrors. */
  mirrors: string;
  /** Needs published keys (RS256/ES256): HS256 publishes none. */
  needsJwks?: boolean;
}

export const MISBEHAVIOURS = {
  'id_token.wrong_issuer': { does: 'id_token `iss` is not the issuer', mirrors: 'rp-id_token-issuer-mismatch' },
  'id_token.sub_missing': { does: 'id_token has no `sub`', mirrors: 'rp-id_token-sub' },
  'id_token.wrong_audience': { does: 'id_token `aud` is another client', mirrors: 'rp-id_token-aud' },
  'id_token.multiple_aud_without_azp': { does: 'id_token `aud` lists the client and another, with no `azp`', mirrors: 'OIDC Core §3.1.3.7 rules 3-5 (azp)' },
  'id_token.iat_missing': { does: 'id_token has no `iat`', mirrors: 'rp-id_token-iat' },
  'id_token.expired': { does: 'id_token `exp` is in the past', mirrors: 'OIDC Core §3.1.3.7 rule 9' },
  'id_token.iat_future': { does: 'id_token `iat` is an hour in the future', mirrors: 'OIDC Core §3.1.3.7 rule 10' },
  'id_token.nonce_mismatch': { does: 'id_token `nonce` is not the one sent to authorize', mirrors: 'rp-nonce-invalid' },
  'id_token.at_hash_wrong': { does: "id_token `at_hash` is not the access token's", mirrors: 'rp-id_token-bad-at_hash' },
  'id_token.kid_absent_single_key': {
    does: 'id_token header has no `kid`; the JWKS holds one key (a relying party should accept it)',
    mirrors: 'rp-id_token-kid-absent-single-jwks',
    needsJwks: true,
  },
  'id_token.kid_absent_multiple_keys': {
    does: 'id_token header has no `kid`; the JWKS holds several keys',
    mirrors: 'rp-id_token-kid-absent-multiple-jwks',
    needsJwks: true,
  },
  'id_token.alg_none': { does: 'id_token is unsigned (`alg: none`)', mirrors: 'rp-id_token-sig-none (not registered for none: must be refused)' },
  'id_token.bad_signature': { does: 'id_token signature does not verify', mirrors: 'rp-id_token-bad-sig-rs256 / -es256 / -hs256' },
  'id_token.key_rotated': {
    does: 'id_token is signed with a new key that is published only from the next JWKS fetch',
    mirrors: 'rp-key-rotation-op-sign-key-native',
    needsJwks: true,
  },
  'userinfo.wrong_sub': { does: "userinfo `sub` is not the id_token's", mirrors: 'rp-userinfo-bad-sub-claim' },
  'discovery.wrong_issuer': { does: 'discovery `issuer` is not the URL it was fetched from', mirrors: 'rp-discovery-issuer-not-matching-config' },
} as const satisfies Record<string, Misbehaviour>;

export type MisbehaviourName = keyof typeof MISBEHAVIOURS;
export const MISBEHAVIOUR_NAMES = Object.keys(MISBEHAVIOURS) as MisbehaviourName[];

export function isMisbehaviourName(value: unknown): value is MisbehaviourName {
  return typeof value === 'string' && Object.hasOwn(MISBEHAVIOURS, value);
}

export function needsJwks(name: MisbehaviourName): boolean {
  return (MISBEHAVIOURS[name] as Misbehaviour).needsJwks === true;
}

export interface PendingMisbehaviour {
  name: MisbehaviourName;
  /** Tokens or responses it still applies to. */
  remaining: number;
}

export interface Misbehaviours {
  add(name: MisbehaviourName, times: number): PendingMisbehaviour;
  /** True (and one use consumed) when `name` is pending. */
  take(name: MisbehaviourName): boolean;
  has(name: MisbehaviourName): boolean;
  /** True when any name starting with `prefix` is pending (`id_token.`). */
  any(prefix: string): boolean;
  pending(): PendingMisbehaviour[];
  clear(): void;
}

export function checkMisbehaviour(name: unknown, times: unknown): { name: MisbehaviourName; times: number } {
  if (!isMisbehaviourName(name)) throw new RangeError(`unknown misbehaviour ${JSON.stringify(name)}; known: ${MISBEHAVIOUR_NAMES.join(', ')}`);
  const n = times ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new RangeError(`times must be a whole number from 1 to 1000000; got ${JSON.stringify(times)}`);
  return { name, times: n };
}

export function createMisbehaviours(): Misbehaviours {
  const pending = new Map<MisbehaviourName, number>();
  return {
    add(name, times) {
      const remaining = (pending.get(name) ?? 0) + times;
      pending.set(name, remaining);
      return { name, remaining };
    },
    take(name) {
      const left = pending.get(name);
      if (left === undefined) return false;
      if (left <= 1) pending.delete(name);
      else pending.set(name, left - 1);
      return true;
    },
    has: (name) => pending.has(name),
    any(prefix) {
      for (const name of pending.keys()) if (name.startsWith(prefix)) return true;
      return false;
    },
    pending: () => [...pending].map(([name, remaining]) => ({ name, remaining })),
    clear() {
      pending.clear();
    },
  };
}
