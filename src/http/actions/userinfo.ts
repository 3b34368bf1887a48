import type { Context } from 'koa';
import { userinfoFor } from '../../core/userinfo.js';
import { checkAccessToken } from '../../tokens/access.js';
import type { AppContext } from '../app-context.js';
import { noStore } from '../middleware/no-store.js';

/** OIDC Core §5.3: claims about the user the access token was issued for, by granted scope. */
export function userinfoAction(app: AppContext) {
  async function userinfo(ctx: Context) {
    const token = await app.profile.accessToken(ctx, 'access token');
    const { claims, user } = checkAccessToken(app.tokens, app.store.read(), token);
    const released = userinfoFor(user, claims);
    app.profile.userinfo(ctx, app.controls ? app.controls.tampering.userinfo(released) : released);
  }
  return [noStore, userinfo];
}
