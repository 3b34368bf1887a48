// Revocation shared by POST /oauth/revoke (a client revoking its own tokens) and
// `oauth-mock tokens revoke` (the operator revoking any token).
import { epochSeconds, type Clock } from './clock.js';
import { findGrant, isDenied } from './lookup.js';
import { optionalString, requiredString, type Params } from './params.js';
import { isAuthentic, parseRefreshToken } from './refresh-token.js';
import type { Store } from './store.js';
import { grantOfJti, type TokenService } from './token-service.js';
import type { Client } from './types.js';

export type RevokeOutcome =
  { revoked: 'refresh_token'; grantId: string } | { revoked: 'access_token'; jti: string; exp: number } | { revoked: false; reason: string };

export interface RevokeDeps {
  store: Store;
  tokens: Pick<TokenService, 'verify'>;
  /** Epoch seconds. */
  now: number;
}

/**
 * Revokes a refresh token (its whole grant) or an access token (its jti, until it expires).
 * `clientId` limits it to that client's tokens (RFC 7009 §2.1); omit it to revoke any.
 */
export async function revokeToken(deps: RevokeDeps, token: string, clientId?: string): Promise<RevokeOutcome> {
  return parseRefreshToken(token) ? revokeRefreshToken(deps, token, clientId) : revokeAccessToken(deps, token, clientId);
}

/** A refresh token revokes its whole grant: the refresh family and every access token from it (RFC 9700 §4.14.2). */
export async function revokeRefreshToken(deps: RevokeDeps, token: string, clientId?: string): Promise<RevokeOutcome> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return { revoked: false, reason: 'this is not a refresh token' };
  return deps.store.update((tx): RevokeOutcome => {
    const grant = findGrant(tx.data, parsed.grantId);
    if (!grant || !isAuthentic(grant, parsed))
      return { revoked: false, reason: 'no live refresh token of this store matches it (unknown, forged or expired and pruned)' };
    if (clientId !== undefined && grant.client_id !== clientId) return { revoked: false, reason: `it belongs to client ${grant.client_id}` };
    if (grant.revoked_at !== undefined) return { revoked: false, reason: 'its refresh-token family is already revoked' };
    tx.put('grants', grant.id, { ...grant, revoked_at: deps.now });
    return { revoked: 'refresh_token', grantId: grant.id };
  });
}

/** An access token joins the denylist by jti until it would have expired anyway (RFC 7009 §2). */
export async function revokeAccessToken(deps: RevokeDeps, token: string, clientId?: string): Promise<RevokeOutcome> {
  let claims;
  try {
    claims = deps.tokens.verify(deps.store.read(), token, 'access');
  } catch (error) {
    return { revoked: false, reason: (error as Error).message };
  }
  const jti = claims.jti;
  if (typeof jti !== 'string') return { revoked: false, reason: 'the access token has no jti' };
  if (clientId !== undefined && claims.client_id !== clientId) return { revoked: false, reason: `it belongs to client ${String(claims.client_id)}` };
  const exp = claims.exp;
  return deps.store.update((tx): RevokeOutcome => {
    if (isDenied(tx.data, jti)) return { revoked: false, reason: 'the access token is already revoked' };
    const grantId = grantOfJti(jti);
    if (grantId !== undefined && findGrant(tx.data, grantId)?.revoked_at !== undefined) {
      return { revoked: false, reason: 'the access token is already revoked (its grant was revoked)' };
    }
    tx.put('denylist', jti, exp);
    return { revoked: 'access_token', jti, exp };
  });
}

/** RFC 7009 §2.1: `token` is required; `token_type_hint` only orders the search, so both kinds are always tried. */
export function revocationRequest(params: Params): { token: string } {
  const token = requiredString(params, 'token');
  optionalString(params, 'token_type_hint');
  return { token };
}

/** RFC 7009 §2.2: invalid, unknown or another client's tokens are no error; the outcome says what happened. */
export function revokeForClient(
  deps: { store: Store; tokens: Pick<TokenService, 'verify'>; clock: Clock },
  request: { token: string },
  client: Client,
): Promise<RevokeOutcome> {
  return revokeToken({ store: deps.store, tokens: deps.tokens, now: epochSeconds(deps.clock) }, request.token, client.id);
}
