import type { Context, Next } from 'koa';
import { userinfoClaims } from '../../core/claims.js';
import { parseScope } from '../../core/scope.js';
import { InsufficientScope } from '../../errors.js';
import { checkAccessToken } from '../../tokens/access.js';
import type { Claims } from '../../tokens/tokens.js';
import type { User } from '../../core/types.js';
import { bearerToken } from '../bearer.js';
import type { AppContext } from '../app-context.js';
import { noStore } from '../middleware/no-store.js';

/** OIDC Core §5.3: claims about the user the access token was issued for, by granted scope. */
export function userinfoAction(app: AppContext) {
  async function authenticateAccessToken(ctx: Context, next: Next) {
    const token = bearerToken(ctx, 'access token');
    Object.assign(ctx.state, checkAccessToken(app.tokens, app.store.read(), token));
    await next();
  }

  async function requireOpenid(ctx: Context, next: Next) {
    const claims = ctx.state.claims as Claims;
    const scope = parseScope(typeof claims.scope === 'string' ? claims.scope : '');
    if (!scope.includes('openid')) throw new InsufficientScope('userinfo needs an access token granted the openid scope', 'openid');
    ctx.state.scope = scope;
    await next();
  }

  async function respond(ctx: Context) {
    app.profile.success(ctx, { data: userinfoClaims(ctx.state.user as User, ctx.state.scope as string[]) });
  }

  return [noStore, authenticateAccessToken, requireOpenid, respond];
}
