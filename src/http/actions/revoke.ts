import type { Context } from 'koa';
import { revocationRequest, revokeForClient } from '../../core/revocation.js';
import { Events } from '../../events.js';
import type { AppContext } from '../app-context.js';
import { authenticatedClient } from '../client-auth.js';
import { noStore } from '../middleware/no-store.js';

/**
 * RFC 7009. The answer is the same 200 whether the token was live, unknown, already revoked
 * or another client's (§2.2), so revoke cannot be used to probe tokens.
 */
export function revokeAction(app: AppContext) {
  async function revoke(ctx: Context) {
    const params = await app.profile.decodeBody(ctx);
    const request = revocationRequest(params);
    const client = await authenticatedClient(ctx, app, params);
    const { revoked } = await revokeForClient(app, request, client);
    if (revoked) ctx.app.emit(Events.tokenRevoked, { clientId: client.id, kind: revoked });
    app.profile.revoked(ctx);
  }
  return [noStore, revoke];
}
