import type { EndUser } from '../../core/authorize.js';
import { findUser, isDenied } from '../../core/lookup.js';
import { InvalidToken } from '../../errors.js';
import type { Store } from '../../store/types.js';
import type { Tokens } from '../../tokens/tokens.js';
import { bearerToken } from '../bearer.js';
import type { Authenticator } from './authenticator.js';

/** The spec profile's end user: a user token in `Authorization: Bearer`, checked before anything else (rule 1). */
export function bearerUserAuthenticator(deps: { store: Store; tokens: Tokens }): Authenticator {
  return {
    when: 'first',
    async authenticate(ctx): Promise<EndUser> {
      const token = bearerToken(ctx, 'end-user token (oauth-mock tokens mint --user ID)');
      const data = deps.store.read();
      const claims = deps.tokens.verify(data, token, 'user');
      // Rule 12: a revoked jti is refused like any other bad token.
      if (typeof claims.jti === 'string' && isDenied(data, claims.jti)) throw new InvalidToken('the user token has been revoked');
      const user = findUser(data, claims.sub);
      if (!user) throw new InvalidToken(`the user token names user ${claims.sub}, who no longer exists`);
      return { user, authTime: typeof claims.auth_time === 'number' ? claims.auth_time : claims.iat };
    },
  };
}
