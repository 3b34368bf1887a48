import { epochSeconds } from '../clock.js';
import { findUser } from '../lookup.js';
import { formatRefreshToken } from '../refresh-token.js';
import type { Client, Grant } from '../types.js';
import { InvalidGrant } from '../../errors.js';
import type { GrantDeps, TokenResponse } from './grant.js';

/** Access token, optional refresh token and ID token for a grant that was just created or rotated. */
export function issueTokens(
  deps: GrantDeps,
  grant: Grant,
  client: Client,
  opts: { scope: readonly string[]; resource: readonly string[]; nonce?: string },
): TokenResponse {
  const data = deps.store.read();
  const user = findUser(data, grant.user_id);
  if (!user) throw new InvalidGrant(`user ${grant.user_id} of this grant no longer exists`);
  const { ttl } = deps;
  const access = deps.tokens.mintAccess(data, {
    user,
    client,
    scope: opts.scope,
    resource: opts.resource,
    authTime: grant.auth_time,
    grantId: grant.id,
    ttl: ttl.accessToken,
    // RFC 9068 §2.2.1: acr and amr of the login, and the claims typed for it.
    ...(grant.login !== undefined
      ? {
          claims: {
            ...grant.login.claims,
            ...(grant.login.acr !== undefined ? { acr: grant.login.acr } : {}),
            ...(grant.login.amr !== undefined ? { amr: grant.login.amr } : {}),
          },
        }
      : {}),
  });
  const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: ttl.accessToken, scope: opts.scope.join(' ') };
  if (grant.refresh_gen !== undefined) response.refresh_token = formatRefreshToken(grant, grant.refresh_gen);
  // OIDC Core §3.1.3.3: an ID token exactly when openid was granted.
  if (opts.scope.includes('openid')) {
    response.id_token = deps.tokens.mintId(data, {
      user,
      clientId: client.id,
      authTime: grant.auth_time,
      ttl: ttl.idToken,
      accessToken: access.token,
      ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
      ...(grant.login !== undefined ? { login: grant.login } : {}),
      ...(grant.login?.claims !== undefined ? { claims: grant.login.claims } : {}),
      ...(deps.idTokenClientKey ? { clientSecretKey: { clientId: client.id, secret: client.secret } } : {}),
    }).token;
  }
  return response;
}

/** When nothing issued under the grant can still be valid, so it can be pruned. */
export function grantExpiry(deps: GrantDeps, grant: Pick<Grant, 'refresh_expires_at' | 'expires_at'>): number {
  const accessUntil = epochSeconds(deps.clock) + deps.ttl.accessToken;
  return Math.max(grant.expires_at, grant.refresh_expires_at ?? 0, accessUntil);
}
