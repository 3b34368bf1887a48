import { findGrant } from '../../core/lookup.js';
import { epochSeconds } from '../../core/clock.js';
import { isAuthentic, parseRefreshToken } from '../../core/refresh-token.js';
import { isSubset, parseScope } from '../../core/scope.js';
import type { Grant } from '../../core/types.js';
import { InvalidGrant, InvalidScope, InvalidTarget, type OAuthError } from '../../errors.js';
import { Events } from '../../events.js';
import { optionalString, requiredString, resourceList } from '../params.js';
import type { GrantHandler } from './grant.js';
import { grantExpiry, issueTokens } from './issue.js';

/** RFC 6749 §6 with rotation on every use and reuse detection (RFC 9700 §4.14.2). */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',

  async handler(app, params, client) {
    const presented = parseRefreshToken(requiredString(params, 'refresh_token'));
    const requestedScope = optionalString(params, 'scope');
    const requestedResource = resourceList(params);
    const now = epochSeconds(app.clock);
    if (!presented) throw new InvalidGrant('the refresh token is invalid');

    const outcome = await app.store.update((tx): { error: OAuthError } | { grant: Grant; scope: string[]; resource: string[] } => {
      const grant = findGrant(tx.data, presented.grantId);
      if (!grant || !isAuthentic(grant, presented)) return { error: new InvalidGrant('the refresh token is invalid') };
      if (grant.client_id !== client.id) return { error: new InvalidGrant('the refresh token was issued to another client') };
      if (grant.revoked_at !== undefined) return { error: new InvalidGrant('the refresh token has been revoked') };
      if ((grant.refresh_expires_at ?? 0) <= now) return { error: new InvalidGrant('the refresh token has expired') };
      if (presented.gen !== grant.refresh_gen) {
        // A rotated token came back: someone holds a copy. Revoke the whole family.
        tx.put('grants', grant.id, { ...grant, revoked_at: now });
        return { error: new InvalidGrant('the refresh token was already used; its whole token family is now revoked') };
      }
      const scope = requestedScope === undefined ? grant.scope : parseScope(requestedScope);
      if (scope.length === 0) return { error: new InvalidScope('scope names no scope; omit it to keep the original grant') };
      if (!isSubset(scope, grant.scope)) {
        return { error: new InvalidScope(`scope may only narrow the original grant (${grant.scope.join(' ')})`) };
      }
      const resource = requestedResource.length === 0 ? grant.resource : requestedResource;
      if (!isSubset(resource, grant.resource)) {
        return { error: new InvalidTarget('resource may only narrow the resources of the original grant (RFC 8707 §2.2)') };
      }
      const rotated: Grant = { ...grant, refresh_gen: presented.gen + 1, refresh_expires_at: now + app.config.ttl.refreshToken };
      rotated.expires_at = grantExpiry(app, rotated);
      tx.put('grants', grant.id, rotated);
      return { grant: rotated, scope, resource };
    });
    if ('error' in outcome) throw outcome.error;
    // The refreshed ID token keeps auth_time and carries no nonce (OIDC Core §12.2).
    const response = issueTokens(app, outcome.grant, client, { scope: outcome.scope, resource: outcome.resource });
    return { response, event: Events.tokenRefreshed, grantId: outcome.grant.id };
  },
};
