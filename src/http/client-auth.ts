import type { Context } from 'koa';
import { authenticateClient, parseBasic } from '../core/client-auth.js';
import { optionalString, type Params } from '../core/params.js';
import type { Client } from '../core/types.js';
import type { Store } from '../store/types.js';

/** The calling client, from HTTP Basic or the decoded body's client_id/client_secret (RFC 6749 §2.3.1). */
export function authenticatedClient(ctx: Context, store: Store, params: Params): Client {
  const header = ctx.get('authorization');
  const basic = header ? parseBasic(header) : undefined;
  const clientId = optionalString(params, 'client_id');
  const clientSecret = optionalString(params, 'client_secret');
  return authenticateClient(store.read(), {
    ...(basic ? { basic } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
  });
}
