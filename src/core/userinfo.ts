import { InsufficientScope } from '../errors.js';
import { userinfoClaims } from './claims.js';
import { parseScope } from './scope.js';
import type { User } from './types.js';

/**
 * OIDC Core §5.3: the claims released about `user` to a checked access token, by the scope it
 * was granted (its `scope` claim). Without `openid` there is no userinfo (RFC 6750 §3.1).
 */
export function userinfoFor(user: User, accessClaims: { scope?: unknown }): Record<string, unknown> {
  const scope = parseScope(typeof accessClaims.scope === 'string' ? accessClaims.scope : '');
  if (!scope.includes('openid')) throw new InsufficientScope('userinfo needs an access token granted the openid scope', 'openid');
  return userinfoClaims(user, scope);
}
