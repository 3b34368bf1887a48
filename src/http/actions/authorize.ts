import type { Context } from 'koa';
import { authorizeTarget, issueCode, validateAuthorizeRequest, type EndUser } from '../../core/authorize.js';
import { Events } from '../../events.js';
import type { AppContext } from '../app-context.js';
import { noStore } from '../middleware/no-store.js';
import { respondToErrorsWith } from '../request-state.js';

/**
 * RFC 6749 §4.1.1: decode → check client and redirect_uri → validate → authenticate the end
 * user → issue a code → answer through the profile. The authenticator says whether it runs
 * first (spec's rule 1) or after validation (OIDC); see authenticators/authenticator.ts.
 */
export function authorizeAction(app: AppContext) {
  const { profile, authenticator } = app;
  const iss = app.config.issuer;

  async function authorize(ctx: Context) {
    let endUser: EndUser | undefined = authenticator.when === 'first' ? await authenticator.authenticate(ctx) : undefined;
    const params = profile.decodeQuery(ctx);
    // Until client_id and redirect_uri are trusted, errors are shown here, never redirected (RFC 6749 §4.1.2.1).
    const target = authorizeTarget(app.store.read(), params);
    respondToErrorsWith(ctx, (error) => profile.authorizeError(ctx, target, error, iss));
    const request = validateAuthorizeRequest(target, params);
    // Test control: an injected authorize error (e.g. access_denied) is redirected like a real one.
    app.controls?.authorizeFault(ctx);
    if (authenticator.when === 'after-validation') {
      endUser = await authenticator.authenticate(ctx, request, params);
      // The authenticator answered (a login page): no code yet.
      if (endUser === undefined) return;
    }
    if (endUser === undefined) throw new Error('authorize: no end user after authentication');
    const { code, record } = await issueCode({ store: app.store, clock: app.clock, ttl: app.config.ttl }, request, endUser);
    const location = profile.authorizeSuccess(ctx, target, { code, iss });
    ctx.app.emit(Events.authorizeRedirect, { clientId: record.client_id, userId: record.user_id, scope: record.scope, location });
  }

  return [noStore, authorize];
}
