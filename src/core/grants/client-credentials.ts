import { InvalidScope, InvalidTarget, UnauthorizedClient } from '../../errors.js';
import { Events } from '../../events.js';
import { epochSeconds } from '../clock.js';
import { optionalString, resourceList } from '../params.js';
import { checkResources } from '../resources.js';
import { isSubset, parseScope } from '../scope.js';
import type { GrantHandler } from './grant.js';

/**
 * RFC 6749 §4.4: a confidential client gets an access token for itself: `sub` is its
 * client_id, and there is no refresh token (§4.4.3) and no ID token (no end user). No grant
 * record is kept; the token is revoked by its jti like any other access token.
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',

  async handler(deps, params, client) {
    // §4.4.2: the client must authenticate; a public client has nothing to authenticate with.
    if (client.public) throw new UnauthorizedClient(`client ${client.id} is public; client_credentials is for confidential clients (RFC 6749 §4.4)`);
    const requested = optionalString(params, 'scope');
    const scope = requested === undefined ? (client.default_scopes ?? client.scopes) : parseScope(requested);
    if (requested !== undefined && scope.length === 0) throw new InvalidScope("scope names no scope; omit it to get the client's defaults");
    if (!isSubset(scope, client.scopes)) {
      const outside = scope.filter((s) => !client.scopes.includes(s));
      throw new InvalidScope(`scope ${outside.join(' ')} is not allowed for client ${client.id}; allowed: ${client.scopes.join(' ')}`);
    }
    const resource = checkResources(client, resourceList(params), (m) => new InvalidTarget(m));
    const access = deps.tokens.mintAccess(deps.store.read(), {
      user: { id: client.id },
      client,
      scope,
      resource,
      authTime: epochSeconds(deps.clock),
      ttl: deps.ttl.accessToken,
    });
    const jti = access.claims.jti as string;
    return {
      response: { access_token: access.token, token_type: 'Bearer', expires_in: deps.ttl.accessToken, scope: scope.join(' ') },
      event: Events.tokenIssued,
      // No grant record: the event names the token's jti instead.
      grantId: jti,
    };
  },
};
