import type { Context } from 'koa';
import { epochSeconds } from '../core/clock.js';
import { authenticateClient, parseBasic } from '../core/client-auth.js';
import type { ClientCredentials } from '../core/client-methods.js';
import { optionalString, type Params } from '../core/params.js';
import type { Client } from '../core/types.js';
import type { AppContext } from './app-context.js';

/**
 * The calling client, from HTTP Basic, the decoded body's client_id/client_secret (RFC 6749
 * §2.3.1), or its client_assertion (RFC 7523).
 */
export function authenticatedClient(ctx: Context, app: AppContext, params: Params): Promise<Client> {
  const header = ctx.get('authorization');
  const basic = header ? parseBasic(header) : undefined;
  const read = (name: string) => optionalString(params, name);
  const creds: ClientCredentials = {};
  if (basic) creds.basic = basic;
  const fields = { clientId: 'client_id', clientSecret: 'client_secret', assertion: 'client_assertion', assertionType: 'client_assertion_type' } as const;
  for (const [key, name] of Object.entries(fields) as [keyof typeof fields, string][]) {
    const value = read(name);
    if (value !== undefined) creds[key] = value;
  }
  return authenticateClient(
    // RFC 7523 §3: the assertion's aud is this server: its issuer, its token endpoint, or the endpoint called.
    { store: app.store, now: epochSeconds(app.clock), audiences: [app.config.issuer, app.url(app.paths.token), app.url(ctx.path)] },
    creds,
  );
}
