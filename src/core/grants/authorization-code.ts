import { findCode, findGrant } from '../lookup.js';
import { epochSeconds } from '../clock.js';
import { verifierMatches, isValidPkceValue } from '../pkce.js';
import { digestKey, randomToken } from '../random.js';
import type { Grant } from '../types.js';
import { isSubset } from '../scope.js';
import { InvalidGrant, InvalidTarget } from '../../errors.js';
import { Events } from '../../events.js';
import { optionalString, requiredString, resourceList } from '../params.js';
import type { GrantHandler } from './grant.js';
import { grantExpiry, issueTokens } from './issue.js';

/** RFC 6749 §4.1.3 with RFC 7636 §4.6: one redemption per code, bound to everything authorize saw. */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',

  async handler(deps, params, client) {
    const code = requiredString(params, 'code');
    const redirectUri = optionalString(params, 'redirect_uri');
    const verifier = optionalString(params, 'code_verifier');
    const requestedResource = resourceList(params);
    const now = epochSeconds(deps.clock);

    // Check and redeem in one transaction, so of twenty parallel redemptions exactly one wins.
    // A refusal throws (nothing is written); a replay must still revoke, so it commits through tx.fail.
    const outcome = await deps.store.update((tx): { grant: Grant; resource: string[]; nonce?: string } => {
      const key = digestKey(code);
      const record = findCode(tx.data, key);
      if (!record || record.expires_at <= now) throw new InvalidGrant('the authorization code is invalid or has expired');
      if (record.client_id !== client.id) throw new InvalidGrant('the authorization code was issued to another client');
      if (record.redeemed_grant !== undefined) {
        // RFC 6749 §4.1.2: a replayed code revokes the tokens issued from it.
        const grant = findGrant(tx.data, record.redeemed_grant);
        if (grant && grant.revoked_at === undefined) tx.put('grants', grant.id, { ...grant, revoked_at: now });
        tx.fail(new InvalidGrant('the authorization code was already used; the tokens issued from it are now revoked'));
      }
      if (redirectUri !== record.redirect_uri) throw new InvalidGrant('redirect_uri must be the one sent to authorize (RFC 6749 §4.1.3)');
      if (record.code_challenge === undefined) {
        // RFC 9700 §4.8.2: a verifier for a code issued without a challenge is a downgrade attempt.
        if (verifier !== undefined) throw new InvalidGrant('code_verifier was sent, but the authorization request had no code_challenge');
      } else {
        if (verifier === undefined) throw new InvalidGrant('code_verifier is required: the authorization request had a code_challenge');
        if (!isValidPkceValue(verifier)) throw new InvalidGrant('code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)');
        if (!verifierMatches(verifier, record.code_challenge, record.code_challenge_method ?? 'plain')) {
          throw new InvalidGrant('code_verifier does not match the code_challenge');
        }
      }
      // RFC 8707 §2.2: the token request may narrow the resources authorize granted, never widen them.
      const resource = requestedResource.length === 0 ? record.resource : requestedResource;
      if (!isSubset(resource, record.resource)) {
        throw new InvalidTarget('resource must be among those sent to authorize (RFC 8707 §2.2)');
      }
      const refresh = client.refresh !== false;
      const grant: Grant = {
        id: randomToken(16),
        client_id: client.id,
        user_id: record.user_id,
        scope: record.scope,
        resource: record.resource,
        auth_time: record.auth_time,
        created_at: now,
        expires_at: 0,
        ...(record.nonce !== undefined ? { nonce: record.nonce } : {}),
        ...(record.login !== undefined ? { login: record.login } : {}),
        ...(refresh ? { refresh_gen: 0, refresh_key: randomToken(32), refresh_expires_at: now + deps.ttl.refreshToken } : {}),
      };
      grant.expires_at = grantExpiry(deps, grant);
      tx.put('grants', grant.id, grant);
      tx.put('codes', key, { ...record, redeemed_grant: grant.id });
      return { grant, resource, ...(record.nonce !== undefined ? { nonce: record.nonce } : {}) };
    });
    const { grant } = outcome;
    const response = issueTokens(deps, grant, client, {
      scope: grant.scope,
      resource: outcome.resource,
      ...(outcome.nonce !== undefined ? { nonce: outcome.nonce } : {}),
    });
    return { response, event: Events.tokenIssued, grantId: grant.id };
  },
};
