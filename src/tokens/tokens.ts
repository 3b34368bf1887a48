import { hash, type KeyObject } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { REGISTERED_CLAIMS } from '../core/claims.js';
import { epochSeconds } from '../core/clock.js';
import { randomToken } from '../core/random.js';
import type { Data, User } from '../core/types.js';
import { InvalidToken, UnauthorizedClient } from '../errors.js';
import { decodeJws, JwsError, signJws, verifyJws } from './jws.js';
import type { KeyRing } from './keys.js';
import { TOKEN_TYP, type AccessTokenInput, type Claims, type IdTokenInput, type TokenKind } from '../core/token-service.js';

export { grantOfJti, TOKEN_TYP, type AccessTokenInput, type Claims, type IdTokenInput, type TokenKind, type TokenService } from '../core/token-service.js';

/** Each kind of token has its own `typ`, so none is accepted where another is expected (RFC 8725 §3.11). */
export interface TokenDeps {
  issuer: string;
  clock: Clock;
  /** The key ring in force for the given state (rotations made elsewhere show up here). */
  keys(data: Readonly<Data>): KeyRing;
  /**
   * Sees every token's claims just before signing and returns the claims to sign (the
   * programmatic API's per-test claim overrides). The header (alg, typ, kid) stays ours.
   */
  beforeSign?: BeforeSign;
  /**
   * Test control's misbehaving tokens (src/control/): may change what is signed, the header
   * or the key, and rewrite the finished token. Omitted: tokens are signed as they are.
   */
  tamper?: TokenTamper;
}

/** What is about to be signed. */
export interface Signing {
  kind: TokenKind;
  claims: Record<string, unknown>;
  header: { alg: string; typ: string; kid?: string };
  /** A key of the ring, or (oidc, HS256 ID tokens) the client's secret. */
  key: KeyObject | string;
}

export type TokenTamper = (signing: Signing, ring: KeyRing) => { signing: Signing; finish?: (token: string) => string } | undefined;

export type BeforeSign = (kind: TokenKind, claims: Record<string, unknown>) => Record<string, unknown>;

function customClaims(...sources: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const source of sources) {
    for (const [k, v] of Object.entries(source ?? {})) if (!REGISTERED_CLAIMS.has(k)) out[k] = v;
  }
  return out;
}

/** OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token. */
export function atHash(accessToken: string): string {
  return hash('sha256', accessToken, 'buffer').subarray(0, 16).toString('base64url');
}

const VERIFIED_CACHE_SIZE = 10_000;

export function createTokens(deps: TokenDeps) {
  // Per key ring, so a rotation or a new secret starts from nothing.
  const verified = new WeakMap<KeyRing, Map<string, Claims>>();
  function remember(ring: KeyRing, key: string, claims: Claims): void {
    let cache = verified.get(ring);
    if (!cache) verified.set(ring, (cache = new Map<string, Claims>()));
    // Oldest first: Map keeps insertion order.
    if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, claims);
  }

  const { issuer, clock } = deps;

  function sign(data: Readonly<Data>, kind: TokenKind, payload: Record<string, unknown>, hs256Secret?: string): { token: string; claims: Claims } {
    const ring = deps.keys(data);
    // A client-secret key has no kid: the client knows which key it is.
    const kid = hs256Secret === undefined ? ring.signing.kid : undefined;
    let signing: Signing = {
      kind,
      claims: deps.beforeSign ? deps.beforeSign(kind, payload) : payload,
      header: { alg: ring.alg, typ: TOKEN_TYP[kind], ...(kid ? { kid } : {}) },
      key: hs256Secret ?? ring.signing.key,
    };
    const tampered = deps.tamper?.(signing, ring);
    if (tampered) signing = tampered.signing;
    // Signed as they are, straight through node:crypto (src/tokens/jws.ts): no iat is added (it is
    // ours, from the injected clock, or deliberately absent), and the alg is the configured one.
    const token = signJws(ring.alg, signing.key, signing.header, signing.claims);
    return { token: tampered?.finish ? tampered.finish(token) : token, claims: signing.claims as Claims };
  }

  return {
    issuer,

    /** The end-user token authorize requires: proof that `user` logged in at `authTime`. */
    mintUser(data: Readonly<Data>, user: User, opts: { ttl: number; authTime?: number; claims?: Record<string, unknown> }) {
      const now = epochSeconds(clock);
      const claims = {
        ...customClaims(opts.claims),
        iss: issuer,
        sub: user.id,
        aud: issuer,
        iat: now,
        exp: now + opts.ttl,
        auth_time: opts.authTime ?? now,
        jti: randomToken(16),
      };
      return sign(data, 'user', claims);
    },

    /** RFC 9068 access token; `aud` is the resource(s) when named (RFC 8707 §2), else the client. */
    mintAccess(data: Readonly<Data>, input: AccessTokenInput) {
      const now = epochSeconds(clock);
      const jti = input.grantId ? `${input.grantId}.${randomToken(12)}` : randomToken(16);
      const aud = input.resource.length === 0 ? input.client.id : input.resource.length === 1 ? input.resource[0] : [...input.resource];
      const claims = {
        ...customClaims(input.user.claims, input.claims),
        iss: issuer,
        sub: input.user.id,
        aud,
        client_id: input.client.id,
        scope: input.scope.join(' '),
        iat: now,
        exp: now + input.ttl,
        jti,
        auth_time: input.authTime,
      };
      return sign(data, 'access', claims);
    },

    /** OIDC Core §2 ID token; profile claims stay at userinfo (§5.4). */
    mintId(data: Readonly<Data>, input: IdTokenInput) {
      const now = epochSeconds(clock);
      const claims = {
        ...customClaims(input.claims),
        iss: issuer,
        sub: input.user.id,
        aud: input.clientId,
        azp: input.clientId,
        iat: now,
        exp: now + input.ttl,
        auth_time: input.authTime,
        ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
        ...(input.accessToken !== undefined ? { at_hash: atHash(input.accessToken) } : {}),
        ...(input.login?.sid !== undefined ? { sid: input.login.sid } : {}),
        ...(input.login?.acr !== undefined ? { acr: input.login.acr } : {}),
        ...(input.login?.amr !== undefined ? { amr: [...input.login.amr] } : {}),
      };
      const secretKey = input.clientSecretKey;
      if (secretKey === undefined || deps.keys(data).alg !== 'HS256') return sign(data, 'id', claims);
      // OIDC Core §10.1: symmetric ID tokens are keyed with the client's own secret.
      if (secretKey.secret === undefined) {
        throw new UnauthorizedClient(
          `client ${secretKey.clientId} has no secret to key an HS256 ID token with (OIDC Core §10.1); start the server with --alg RS256 or ES256`,
        );
      }
      return sign(data, 'id', claims, secretKey.secret);
    },

    /**
     * Verifies signature, algorithm, issuer, expiry and `typ` (RFC 8725 §3.1, §3.11).
     * The algorithm is pinned to the configured one whatever the header says, and `exp`
     * is required (a JWS without it would otherwise pass).
     */
    verify(data: Readonly<Data>, token: string, kind: TokenKind, opts: { hs256Secret?: string } = {}): Claims {
      const ring = deps.keys(data);
      const now = epochSeconds(clock);
      // An HS256 ID token keyed with a client's secret (OIDC Core §10.1); not cached.
      const secret = opts.hs256Secret !== undefined && ring.alg === 'HS256' ? opts.hs256Secret : undefined;
      // A signature that verified once verifies again under the same keys: only the time
      // claims need checking anew. Test suites present the same user token over and over.
      const cached = secret === undefined ? verified.get(ring)?.get(`${kind} ${token}`) : undefined;
      if (cached) {
        if (cached.exp <= now) throw new InvalidToken('the token has expired');
        if (typeof cached.nbf === 'number' && cached.nbf > now) throw new InvalidToken('the token is not valid yet (nbf)');
        checkIssuedAt(data, cached, now);
        return cached;
      }
      const decoded = decodeJws(token);
      if (!decoded || typeof decoded.payload !== 'object') throw new InvalidToken('the token is not a JWT');
      // RFC 7515 §4.1.11: an extension listed in `crit` that the recipient does not understand
      // makes the JWS invalid. This server understands none, so any `crit` is refused.
      const crit = decoded.header.crit;
      if (crit !== undefined) {
        const names = Array.isArray(crit) ? crit.map(String).join(', ') : JSON.stringify(crit);
        throw new InvalidToken(`the token's crit header lists extensions this server does not understand (${names}); RFC 7515 §4.1.11`);
      }
      if (decoded.header.alg !== ring.alg)
        throw new InvalidToken(`the token is signed with ${String(decoded.header.alg)}; this server only accepts ${ring.alg}`);
      if (decoded.header.typ !== TOKEN_TYP[kind])
        throw new InvalidToken(
          `this is not ${kind === 'user' ? 'a user token' : kind === 'access' ? 'an access token' : 'an ID token'} (typ ${String(decoded.header.typ)})`,
        );
      const key = secret ?? ring.find(decoded.header.kid as string | undefined);
      if (!key) throw new InvalidToken('the token was signed with a key this server does not know (kid)');
      let payload: Record<string, unknown>;
      try {
        payload = verifyJws(decoded, key, { alg: ring.alg, issuer, now });
      } catch (error) {
        throw new InvalidToken(describeJwsError(error));
      }
      if (typeof payload.exp !== 'number') throw new InvalidToken('the token has no exp claim');
      if (typeof payload.sub !== 'string') throw new InvalidToken('the token has no sub claim');
      const claims = Object.freeze(payload) as Claims;
      if (secret === undefined) remember(ring, `${kind} ${token}`, claims);
      checkIssuedAt(data, claims, now);
      return claims;
    },
  };
}

export type Tokens = ReturnType<typeof createTokens>;

/** Seconds a token's iat may be ahead of this server's clock (another process's clock, rounding). */
const IAT_LEEWAY = 60;

/**
 * A token issued before the store's last reset is refused, so a reset never revives a revoked
 * one; so is one issued after now, by this server's clock: the test-control clock moved back
 * (a reset or `set`), and what it issued ahead must not outlive that either.
 */
function checkIssuedAt(data: Readonly<Data>, claims: Claims, now: number): void {
  if (typeof claims.iat === 'number' && claims.iat > now + IAT_LEEWAY) {
    throw new InvalidToken("the token was issued in the future by this server's clock (iat); was its clock reset or set back since?");
  }
  const resetAt = data.meta.reset_at;
  if (resetAt !== undefined && typeof claims.iat === 'number' && claims.iat < resetAt) {
    throw new InvalidToken('the token was issued before the store was reset');
  }
}

function describeJwsError(error: unknown): string {
  if (!(error instanceof JwsError)) return 'the token is invalid';
  switch (error.reason) {
    case 'expired':
      return 'the token has expired';
    case 'nbf':
      return 'the token is not valid yet (nbf)';
    case 'issuer':
      return 'the token was issued by another issuer';
    case 'signature':
      return 'the token signature does not verify';
    case 'invalid':
      return `the token is invalid (${error.message})`;
    case 'unusable':
      return 'the token is invalid';
  }
}
