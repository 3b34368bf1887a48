import type { Context, Next } from 'koa';
import { epochSeconds } from '../../core/clock.js';
import type { Client } from '../../core/types.js';
import { Events } from '../../events.js';
import { revokeToken } from '../../tokens/revocation.js';
import type { AppContext } from '../app-context.js';
import { clientAuth } from '../middleware/client-auth.js';
import { noStore } from '../middleware/no-store.js';
import { optionalString, requiredString } from '../params.js';

/**
 * RFC 7009. The answer is the same 200 whether the token was live, unknown, already revoked
 * or another client's (§2.2), so revoke cannot be used to probe tokens. The hint only
 * orders the search (§2.1); both kinds are always tried.
 */
export function revokeAction(app: AppContext) {
  async function requireToken(ctx: Context, next: Next) {
    requiredString(ctx.state.params, 'token');
    optionalString(ctx.state.params, 'token_type_hint');
    await next();
  }

  async function revoke(ctx: Context) {
    const token = requiredString(ctx.state.params, 'token');
    const client = ctx.state.client as Client;
    // RFC 7009 §2.2: invalid, unknown or another client's tokens do not cause an error response.
    const { revoked } = await revokeToken({ store: app.store, tokens: app.tokens, now: epochSeconds(app.clock) }, token, client.id);
    if (revoked) ctx.app.emit(Events.tokenRevoked, { clientId: client.id, kind: revoked });
    app.profile.success(ctx, { message: 'Token revoked' });
  }

  return [noStore, app.profile.decodeBody, requireToken, clientAuth(app), revoke];
}
