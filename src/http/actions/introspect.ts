import type { Context } from 'koa';
import { introspect, introspectionRequest } from '../../core/introspection.js';
import type { AppContext } from '../app-context.js';
import { authenticatedClient } from '../client-auth.js';
import { noStore } from '../middleware/no-store.js';

/** RFC 7662: decode → require `token` → authenticate the client (§2.1) → answer its token's state. */
export function introspectAction(app: AppContext) {
  const deps = { store: app.store, tokens: app.tokens, clock: app.clock, issuer: app.config.issuer };
  async function introspection(ctx: Context) {
    const params = await app.profile.decodeBody(ctx);
    const request = introspectionRequest(params);
    const client = await authenticatedClient(ctx, app, params);
    app.profile.introspection(ctx, introspect(deps, request, client));
  }
  return [noStore, introspection];
}
