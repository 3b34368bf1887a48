import { UnauthorizedClient, UnsupportedGrantType } from '../../errors.js';
import { requiredString, type Params } from '../params.js';
import type { Client } from '../types.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import type { GrantHandler } from './grant.js';
import { refreshTokenGrant } from './refresh-token.js';

export type { GrantDeps, GrantHandler, GrantResult, TokenResponse } from './grant.js';

/** The grant types this API supports (the seed: authorization_code and refresh_token only). */
export const GRANTS: ReadonlyMap<string, GrantHandler> = new Map([authorizationCodeGrant, refreshTokenGrant].map((g) => [g.grantType, g]));

/** The oidc profile's grant types: the seed's, plus client_credentials (RFC 6749 §4.4). */
export const OIDC_GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant].map((g) => [g.grantType, g]),
);

/** The grant `grant_type` names among `grants` (RFC 6749 §5.2: unsupported_grant_type otherwise). */
export function grantFor(params: Params, grants: ReadonlyMap<string, GrantHandler> = GRANTS): GrantHandler {
  const grantType = requiredString(params, 'grant_type');
  const grant = grants.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type must be one of: ${[...grants.keys()].join(', ')}`);
  return grant;
}

/** The grant types a client record allows (`grant_types`; absent: the code flow and refresh). */
export function clientGrantTypes(client: Client): readonly string[] {
  return client.grant_types ?? ['authorization_code', 'refresh_token'];
}

/** RFC 6749 §5.2: a client may use only the grant types it is registered for (unauthorized_client). */
export function assertGrantAllowed(client: Client, grantType: string): void {
  const allowed = clientGrantTypes(client);
  if (!allowed.includes(grantType)) {
    throw new UnauthorizedClient(`client ${client.id} may not use grant_type ${grantType}; its grant_types: ${allowed.join(', ') || 'none'}`);
  }
}
