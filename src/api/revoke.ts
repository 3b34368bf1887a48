// Revocation on the test's behalf: the operator's revocation (`oauth-mock tokens revoke`, no
// client restriction), plus user tokens, which authorize refuses once their jti is denylisted.
import { isDenied } from '../core/lookup.js';
import { epochSeconds } from '../core/clock.js';
import type { AppContext } from '../http/app-context.js';
import { revokeToken } from '../core/revocation.js';
import { decodeJws } from '../tokens/jws.js';
import { TOKEN_TYP } from '../tokens/tokens.js';

export type RevokedKind = 'refresh_token' | 'access_token' | 'user_token';

function isUserToken(token: string): boolean {
  return decodeJws(token)?.header.typ === TOKEN_TYP.user;
}

async function revokeUserToken(app: AppContext, token: string): Promise<'user_token' | false> {
  let claims;
  try {
    claims = app.tokens.verify(app.store.read(), token, 'user');
  } catch {
    return false;
  }
  const { jti, exp } = claims;
  if (typeof jti !== 'string') return false;
  return app.store.update((tx) => {
    if (isDenied(tx.data, jti)) return false;
    tx.put('denylist', jti, exp);
    return 'user_token' as const;
  });
}

/**
 * A refresh token revokes its grant (every token issued from it); an access or user token
 * joins the denylist by `jti` until it expires. Returns what was revoked, or false when the
 * token is not a live token of this server (an ID token is not revocable: nothing accepts it).
 */
export async function revokeAny(app: AppContext, token: string): Promise<RevokedKind | false> {
  if (isUserToken(token)) return revokeUserToken(app, token);
  const outcome = await revokeToken({ store: app.store, tokens: app.tokens, now: epochSeconds(app.clock) }, token);
  return outcome.revoked;
}
