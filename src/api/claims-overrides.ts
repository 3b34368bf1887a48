// Per-test claim overrides: changes to the claims of the next tokens signed, without a restart.
// They run at the signing layer, so tokens from /oauth/token and minted tokens both see them.
import type { BeforeSign, TokenKind } from '../tokens/tokens.js';

/**
 * Claims merged over a token's claims (a claim set to `undefined` is removed), or a function
 * that returns the claims to sign. Registered claims may be changed (an expired `exp`, another
 * `aud`: negative tests need that), except `iss`: a token must keep the issuer it is signed as.
 */
export type ClaimsPatch = Record<string, unknown> | ((claims: Readonly<Record<string, unknown>>, kind: TokenKind) => Record<string, unknown>);

export interface OverrideOptions {
  /** Apply to this many matching tokens, then stop; default: until disposed (or reset/stop). */
  times?: number;
  /** Only tokens for this user (`sub`). */
  user?: string;
  /** Only tokens of this kind (or kinds): `user`, `access`, `id`. */
  kind?: TokenKind | readonly TokenKind[];
}

/** An override that would change what the server stands behind (the issuer), or a bad option. */
export class ClaimsOverrideError extends Error {
  override readonly name = 'ClaimsOverrideError';
}

interface Override {
  patch: ClaimsPatch;
  user?: string;
  kinds?: readonly TokenKind[];
  remaining?: number;
}

export interface ClaimsOverrides {
  /** Registers an override; the returned function removes it (safe to call twice). */
  add(patch: ClaimsPatch, opts?: OverrideOptions): () => void;
  /** The hook for createTokens: applies matching overrides in the order they were added. */
  readonly beforeSign: BeforeSign;
  clear(): void;
  /** How many overrides are still active. */
  readonly size: number;
}

export function createClaimsOverrides(): ClaimsOverrides {
  const active = new Set<Override>();

  function add(patch: ClaimsPatch, opts: OverrideOptions = {}): () => void {
    if (typeof patch !== 'function' && (typeof patch !== 'object' || patch === null)) throw new ClaimsOverrideError('claims must be an object or a function');
    if (typeof patch === 'object' && Object.hasOwn(patch, 'iss')) {
      throw new ClaimsOverrideError(
        'iss cannot be overridden: every token carries the issuer it is signed as (mint a token elsewhere to test a foreign issuer)',
      );
    }
    if (opts.times !== undefined && (!Number.isInteger(opts.times) || opts.times < 1)) {
      throw new ClaimsOverrideError(`times must be a positive whole number; got ${opts.times}`);
    }
    const override: Override = {
      patch,
      ...(opts.user !== undefined ? { user: opts.user } : {}),
      ...(opts.kind !== undefined ? { kinds: typeof opts.kind === 'string' ? [opts.kind] : [...opts.kind] } : {}),
      ...(opts.times !== undefined ? { remaining: opts.times } : {}),
    };
    active.add(override);
    return () => void active.delete(override);
  }

  const beforeSign: BeforeSign = (kind, claims) => {
    if (active.size === 0) return claims;
    let out = claims;
    for (const o of [...active]) {
      if (o.kinds && !o.kinds.includes(kind)) continue;
      if (o.user !== undefined && claims.sub !== o.user) continue;
      out = typeof o.patch === 'function' ? o.patch(Object.freeze({ ...out }), kind) : { ...out, ...o.patch };
      if (o.remaining !== undefined && --o.remaining === 0) active.delete(o);
    }
    if (out.iss !== claims.iss) throw new ClaimsOverrideError(`a claims override changed iss to ${JSON.stringify(out.iss)}; iss cannot be overridden`);
    return out;
  };

  return {
    add,
    beforeSign,
    clear: () => active.clear(),
    get size() {
      return active.size;
    },
  };
}
