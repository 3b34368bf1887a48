import { findGrant } from '../lookup.js';
import { epochSeconds } from '../clock.js';
import { isAuthentic, parseRefreshToken } from '../refresh-token.js';
import { isSubset, parseScope } from '../scope.js';
import type { Grant } from '../types.js';
import { InvalidGrant, InvalidScope, InvalidTarget } from '../../errors.js';
import { Events } from '../../events.js';
import { optionalString, requiredString, resourceList } from '../params.js';
import type { GrantHandler } from './grant.js';
import { grantExpiry, issueTokens } from './issue.js';

/** RFC 6749 §6 with rotation on every use and reuse detection (RFC 9700 §4.14.2). */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',

  async handler(deps, params, client) {
    const presented = parseRefreshToken(requiredString(params, 'refresh_token'));
    const requestedScope = optionalString(params, 'scope');
    const requestedResource = resourceList(params);
    const now = epochSeconds(deps.clock);
    if (!presented) throw new InvalidGrant('the refresh token is invalid');

    const outcome = await deps.store.update((tx): { grant: Grant; scope: string[]; resource: string[] } => {
      const grant = findGrant(tx.data, presented.grantId);
      if (!grant || !isAuthentic(grant, presented)) throw new InvalidGrant('the refresh token is invalid');
      if (grant.client_id !== client.id) throw new InvalidGrant('the refresh token was issued to another client');
      if (grant.revoked_at !== undefined) throw new InvalidGrant('the refresh token has been revoked');
      if ((grant.refresh_expires_at ?? 0) <= now) throw new InvalidGrant('the refresh token has expired');
      if (presented.gen !== grant.refresh_gen) {
        // A rotated token came back: someone holds a copy. Revoke the whole family.
        tx.put('grants', grant.id, { ...grant, revoked_at: now });
        tx.fail(new InvalidGrant('the refresh token was already used; its whole token family is now revoked'));
      }
      const scope = requestedScope === undefined ? grant.scope : parseScope(requestedScope);
      if (scope.length === 0) throw new InvalidScope('scope names no scope; omit it to keep the original grant');
      if (!isSubset(scope, grant.scope)) {
        throw new InvalidScope(`scope may only narrow the original grant (${grant.scope.join(' ')})`);
      }
      const resource = requestedResource.length === 0 ? grant.resource : requestedResource;
      if (!isSubset(resource, grant.resource)) {
        throw new InvalidTarget('resource may only narrow the resources of the original grant (RFC 8707 §2.2)');
      }
      const rotated: Grant = { ...grant, refresh_gen: presented.gen + 1, refresh_expires_at: now + deps.ttl.refreshToken };
      rotated.expires_at = grantExpiry(deps, rotated);
      tx.put('grants', grant.id, rotated);
      return { grant: rotated, scope, resource };
    });
    // The refreshed ID token keeps auth_time and carries no nonce (OIDC Core §12.2).
    const response = issueTokens(deps, outcome.grant, client, { scope: outcome.scope, resource: outcome.resource });
    return { response, event: Events.tokenRefreshed, grantId: outcome.grant.id };
  },
};
