import type { Context, Next } from 'koa';
import type { Client } from '../../core/types.js';
import { UnsupportedGrantType } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import type { GrantHandler } from '../grants/grant.js';
import { GRANTS } from '../grants/index.js';
import { clientAuth } from '../middleware/client-auth.js';
import { noStore } from '../middleware/no-store.js';
import { requiredString } from '../params.js';

export function tokenAction(app: AppContext) {
  async function checkGrantType(ctx: Context, next: Next) {
    const grantType = requiredString(ctx.state.params, 'grant_type');
    const grant = GRANTS.get(grantType);
    if (!grant) throw new UnsupportedGrantType(`grant_type must be one of: ${[...GRANTS.keys()].join(', ')}`);
    ctx.state.grant = grant;
    await next();
  }

  async function runGrant(ctx: Context) {
    const grant = ctx.state.grant as GrantHandler;
    const client = ctx.state.client as Client;
    const { response, event, grantId } = await grant.handler(app, ctx.state.params, client);
    ctx.app.emit(event, { clientId: client.id, grantId, scope: response.scope });
    app.profile.success(ctx, { data: response });
  }

  return [noStore, app.profile.decodeBody, checkGrantType, clientAuth(app), runGrant];
}
