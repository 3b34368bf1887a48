import { authorizationCodeGrant } from './authorization-code.js';
import type { GrantHandler } from './grant.js';
import { refreshTokenGrant } from './refresh-token.js';

/** The grant types this API supports (the seed: authorization_code and refresh_token only). */
export const GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant].map((g) => [g.grantType, g]),
);
