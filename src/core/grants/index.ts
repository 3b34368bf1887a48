import { UnsupportedGrantType } from '../../errors.js';
import { requiredString, type Params } from '../params.js';
import { authorizationCodeGrant } from './authorization-code.js';
import type { GrantHandler } from './grant.js';
import { refreshTokenGrant } from './refresh-token.js';

export type { GrantDeps, GrantHandler, GrantResult, TokenResponse } from './grant.js';

/** The grant types this API supports (the seed: authorization_code and refresh_token only). */
export const GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant].map((g) => [g.grantType, g]),
);

/** The grant `grant_type` names (RFC 6749 §5.2: unsupported_grant_type otherwise). */
export function grantFor(params: Params): GrantHandler {
  const grantType = requiredString(params, 'grant_type');
  const grant = GRANTS.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type must be one of: ${[...GRANTS.keys()].join(', ')}`);
  return grant;
}
