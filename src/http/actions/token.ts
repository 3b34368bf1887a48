import type { Context } from 'koa';
import { assertGrantAllowed, grantFor } from '../../core/grants/index.js';
import type { AppContext } from '../app-context.js';
import { authenticatedClient } from '../client-auth.js';
import { noStore } from '../middleware/no-store.js';

/** RFC 6749 §3.2: decode → grant_type → authenticate the client → run the grant → encode. */
export function tokenAction(app: AppContext) {
  const deps = { store: app.store, tokens: app.tokens, clock: app.clock, ttl: app.config.ttl, idTokenClientKey: app.idTokenClientKey };
  async function token(ctx: Context) {
    const params = await app.profile.decodeBody(ctx);
    const grant = grantFor(params, app.grants);
    const client = await authenticatedClient(ctx, app, params);
    assertGrantAllowed(client, grant.grantType);
    const { response, event, grantId } = await grant.handler(deps, params, client);
    ctx.app.emit(event, { clientId: client.id, grantId, scope: response.scope });
    app.profile.token(ctx, response);
  }
  return [noStore, token];
}
