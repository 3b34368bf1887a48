import type { Context, Next } from 'koa';
import { epochSeconds } from '../../core/clock.js';
import { isAuthentic, parseRefreshToken } from '../../core/refresh-token.js';
import type { Client } from '../../core/types.js';
import { grantOfJti } from '../../tokens/tokens.js';
import type { Core } from '../core.js';
import { clientAuth } from '../middleware/client-auth.js';
import { noStore } from '../middleware/no-store.js';
import { optionalString, requiredString } from '../params.js';

/**
 * RFC 7009. The answer is the same 200 whether the token was live, unknown, already revoked
 * or another client's (§2.2), so revoke cannot be used to probe tokens. The hint only
 * orders the search (§2.1); both kinds are always tried.
 */
export function revokeAction(core: Core) {
  async function requireToken(ctx: Context, next: Next) {
    requiredString(ctx.state.params, 'token');
    optionalString(ctx.state.params, 'token_type_hint');
    await next();
  }

  async function revoke(ctx: Context) {
    const token = requiredString(ctx.state.params, 'token');
    const client = ctx.state.client as Client;
    const revoked = (await revokeRefreshToken(core, token, client)) || (await revokeAccessToken(core, token, client));
    if (revoked) ctx.app.emit('token.revoked', { clientId: client.id, kind: revoked });
    core.profile.success(ctx, { message: 'Token revoked' });
  }

  return [noStore, core.profile.decodeBody, requireToken, clientAuth(core), revoke];
}

/** A refresh token revokes its whole grant: the refresh family and every access token from it. */
async function revokeRefreshToken(core: Core, token: string, client: Client): Promise<'refresh_token' | false> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return false;
  const now = epochSeconds(core.clock);
  return core.store.update((tx) => {
    const grant = Object.hasOwn(tx.data.grants, parsed.grantId) ? tx.data.grants[parsed.grantId] : undefined;
    if (!grant || !isAuthentic(grant, parsed) || grant.client_id !== client.id || grant.revoked_at !== undefined) return false;
    tx.put('grants', grant.id, { ...grant, revoked_at: now });
    return 'refresh_token' as const;
  });
}

/** An access token joins the denylist by jti until it would have expired anyway. */
async function revokeAccessToken(core: Core, token: string, client: Client): Promise<'access_token' | false> {
  let claims;
  try {
    claims = core.tokens.verify(core.store.read(), token, 'access');
  } catch {
    return false; // RFC 7009 §2.2: invalid tokens do not cause an error response.
  }
  const jti = claims.jti;
  if (typeof jti !== 'string' || claims.client_id !== client.id) return false;
  return core.store.update((tx) => {
    if (Object.hasOwn(tx.data.denylist, jti)) return false;
    const grantId = grantOfJti(jti);
    if (grantId !== undefined && Object.hasOwn(tx.data.grants, grantId) && tx.data.grants[grantId]?.revoked_at !== undefined) return false;
    tx.put('denylist', jti, claims.exp);
    return 'access_token' as const;
  });
}
