import { findGrant, findUser, isDenied } from '../core/lookup.js';
import type { Data, User } from '../core/types.js';
import { InvalidToken } from '../errors.js';
import { grantOfJti, type Claims, type Tokens } from './tokens.js';

/**
 * A fully checked access token: signature, algorithm, issuer, expiry and typ, then
 * revocation (its own jti, or its whole grant) and that its user still exists.
 */
export function checkAccessToken(tokens: Tokens, data: Readonly<Data>, token: string): { claims: Claims; user: User } {
  const claims = tokens.verify(data, token, 'access');
  const jti = typeof claims.jti === 'string' ? claims.jti : undefined;
  if (jti === undefined) throw new InvalidToken('the access token has no jti');
  if (isDenied(data, jti)) throw new InvalidToken('the access token has been revoked');
  const grantId = grantOfJti(jti);
  const grant = grantId === undefined ? undefined : findGrant(data, grantId);
  if (grant?.revoked_at !== undefined) throw new InvalidToken('the access token has been revoked (its grant was revoked)');
  const user = findUser(data, claims.sub);
  if (!user && claims.sub === claims.client_id && grantId === undefined) {
    throw new InvalidToken(`the access token is client ${claims.sub}'s own (client_credentials) and names no end user`);
  }
  if (!user) throw new InvalidToken(`the access token names user ${claims.sub}, who no longer exists`);
  return { claims, user };
}
