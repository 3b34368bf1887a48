// The login page's form comes back here (oidc profile). It carries the original authorization
// request, which is validated again in full (the browser could have changed it), then the
// choice: a known user, a typed username, extra claims, or Deny.
import type { Context } from 'koa';
import { authorizeTarget, issueCode, validateAuthorizeRequest } from '../../core/authorize.js';
import { checkUsername, parseLoginClaims } from '../../core/login-claims.js';
import { findUser } from '../../core/lookup.js';
import { optionalString } from '../../core/params.js';
import { AccessDenied, InvalidRequest } from '../../errors.js';
import { Events } from '../../events.js';
import type { AppContext } from '../app-context.js';
import { checkOidcParams } from '../authenticators/session.js';
import { csrfValid } from '../csrf.js';
import { showLoginPage, signIn } from '../login-flow.js';
import { noStore } from '../middleware/no-store.js';
import { parseQuery } from '../params.js';
import { rememberAuthorizeParams, showErrorsAsPage } from '../profiles/authorize-response.js';
import { formReader, readForm } from '../profiles/form-body.js';
import { respondToErrorsWith } from '../request-state.js';

export function loginAction(app: AppContext) {
  const read = formReader(app.config.bodyLimit);
  const iss = app.config.issuer;

  async function submitLogin(ctx: Context) {
    showErrorsAsPage(ctx);
    const form = await readForm(ctx, read, app.config.bodyLimit, true);
    const raw = optionalString(form, 'authorization_request');
    if (raw === undefined) throw new InvalidRequest('the login form came back without its authorization request; start again from the application');
    const params = parseQuery(raw);
    rememberAuthorizeParams(ctx, params);
    const target = authorizeTarget(app.store.read(), params);
    respondToErrorsWith(ctx, (error) => app.profile.authorizeError(ctx, target, error, iss));
    const request = validateAuthorizeRequest(target, params);
    checkOidcParams(params);

    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const claimsText = typeof form.claims === 'string' ? form.claims : '';
    const again = (error: string) => showLoginPage(ctx, app, request, params, { error, username, claims: claimsText });
    // A form without the browser's CSRF cookie was posted from elsewhere (or is stale): ask again.
    if (!csrfValid(ctx, form.csrf)) return again('This sign-in form has expired or was sent from another site. Please choose again.');
    // OIDC Core §3.1.2.6: the end user refused.
    if (Object.hasOwn(form, 'deny')) throw new AccessDenied('the end user denied the request on the login page');

    const claims = parseLoginClaims(claimsText);
    if (!claims.ok) return again(claims.error);
    const picked = optionalString(form, 'user');
    let userId: string;
    if (picked !== undefined) {
      if (!findUser(app.store.read(), picked)) return again(`There is no user "${picked}" any more. Pick another, or type a username.`);
      userId = picked;
    } else {
      const problem = checkUsername(username);
      if (problem !== undefined) return again(problem);
      userId = username;
    }
    const endUser = await signIn(ctx, app, userId, claims.claims);
    const { code, record } = await issueCode({ store: app.store, clock: app.clock, ttl: app.config.ttl }, request, endUser);
    const location = app.profile.authorizeSuccess(ctx, target, { code, iss });
    ctx.app.emit(Events.authorizeRedirect, { clientId: record.client_id, userId: record.user_id, scope: record.scope, location });
  }

  return [noStore, submitLogin];
}
