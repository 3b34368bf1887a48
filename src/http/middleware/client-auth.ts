import type { Context, Next } from 'koa';
import { authenticateClient, parseBasic } from '../../core/client-auth.js';
import type { AppContext } from '../app-context.js';
import { optionalString } from '../params.js';

/** Authenticates the calling client (body credentials or HTTP Basic) into `ctx.state.client`. */
export function clientAuth(app: AppContext) {
  return async function authenticate(ctx: Context, next: Next) {
    const params = ctx.state.params as Record<string, unknown>;
    const header = ctx.get('authorization');
    const basic = header ? parseBasic(header) : undefined;
    const clientId = optionalString(params, 'client_id');
    const clientSecret = optionalString(params, 'client_secret');
    ctx.state.client = authenticateClient(app.store.read(), {
      ...(basic ? { basic } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      ...(clientSecret !== undefined ? { clientSecret } : {}),
    });
    await next();
  };
}
