// OpenID Connect RP-Initiated Logout 1.0: end_session_endpoint, GET and POST (§2). Every answer
// is a page or a redirect for the browser; a post_logout_redirect_uri is followed only when it
// is registered for the client the id_token_hint or client_id names (§3), never otherwise.
import type { Context } from 'koa';
import { epochSeconds } from '../../core/clock.js';
import { findClient } from '../../core/lookup.js';
import { optionalString, type Params } from '../../core/params.js';
import { endSession, findSession } from '../../core/sessions.js';
import type { Client } from '../../core/types.js';
import type { AppContext } from '../app-context.js';
import { clearCookie, cookieScope, readCookie, SESSION_COOKIE } from '../cookies.js';
import { csrfToken, csrfValid } from '../csrf.js';
import { verifyIdTokenHint, type IdTokenHint } from '../id-token-hint.js';
import { noStore } from '../middleware/no-store.js';
import { loggedOutPage, logoutConfirmPage, logoutErrorPage } from '../pages/logout-pages.js';
import { sendPage } from '../pages/page.js';
import { parseQuery } from '../params.js';
import { formReader, readForm } from '../profiles/form-body.js';
import { withQuery } from '../profiles/spec.js';
import { respondToErrorsWith } from '../request-state.js';

/** The logout request's own parameters, carried through the confirmation page. */
const CARRIED = ['client_id', 'post_logout_redirect_uri', 'state', 'logout_hint', 'ui_locales'] as const;

export function endSessionAction(app: AppContext) {
  const read = formReader(app.config.bodyLimit);
  const scope = cookieScope(app.config.issuer);

  async function endSessionRequest(ctx: Context) {
    // Errors are shown to the user: nothing here is trusted enough to redirect to.
    respondToErrorsWith(ctx, (error) => sendPage(ctx, logoutErrorPage(error.status, error.message)));
    const params: Params = ctx.method === 'POST' ? await readForm(ctx, read, app.config.bodyLimit, true) : parseQuery(ctx.querystring);
    const refuse = (why: string) => sendPage(ctx, logoutErrorPage(400, why));
    const data = app.store.read();

    let hint: IdTokenHint | undefined;
    const hintToken = optionalString(params, 'id_token_hint');
    if (hintToken !== undefined) {
      // §2: the hint is verified; an expired one is fine (it only says who logged in where).
      const result = verifyIdTokenHint({ issuer: app.config.issuer, keys: app.keys }, data, hintToken);
      if (!result.ok) return refuse(result.reason);
      hint = result.hint;
    }
    const clientId = optionalString(params, 'client_id');
    if (clientId !== undefined && hint?.clientId !== undefined && clientId !== hint.clientId) {
      return refuse(`client_id ${clientId} is not the client the id_token_hint was issued to (${hint.clientId})`);
    }
    const named = clientId ?? hint?.clientId;
    const client = named === undefined ? undefined : findClient(data, named);
    if (clientId !== undefined && client === undefined) return refuse(`unknown client_id ${JSON.stringify(clientId)}`);

    const redirect = postLogoutRedirect(client, optionalString(params, 'post_logout_redirect_uri'));
    // §2: without a hint, the end user is asked first (and a forged request cannot log them out).
    const confirmed = ctx.method === 'POST' && optionalString(params, 'confirm') === 'yes' && csrfValid(ctx, params.csrf);
    if (hint === undefined && !confirmed) {
      const carried = Object.fromEntries(CARRIED.map((name) => [name, optionalString(params, name)]));
      sendPage(
        ctx,
        logoutConfirmPage({
          action: app.paths.endSession,
          csrf: csrfToken(ctx, scope),
          params: carried,
          ...(client ? { clientName: client.name ?? client.id } : {}),
        }),
      );
      return;
    }

    const now = epochSeconds(app.clock);
    const current = findSession(data, readCookie(ctx, SESSION_COOKIE), now);
    await app.store.update((tx) => {
      if (current) endSession(tx, current.sid);
      // The session the hint's ID token was issued in, even if this browser no longer holds it.
      if (hint?.sid !== undefined) endSession(tx, hint.sid);
    });
    clearCookie(ctx, SESSION_COOKIE, scope);
    if (redirect.uri === undefined) {
      sendPage(ctx, loggedOutPage(redirect.why !== undefined ? { notRedirected: redirect.why } : {}));
      return;
    }
    ctx.status = ctx.method === 'POST' ? 303 : 302;
    // §3: state is passed back as given; the registered URI is used exactly otherwise.
    const state = optionalString(params, 'state');
    ctx.redirect(state === undefined ? redirect.uri : withQuery(redirect.uri, { state }));
  }

  return [noStore, endSessionRequest];
}

/** §3: only a URI registered for the identified client, compared exactly. */
function postLogoutRedirect(client: Client | undefined, uri: string | undefined): { uri?: string; why?: string } {
  if (uri === undefined) return {};
  if (client === undefined) return { why: 'post_logout_redirect_uri needs an id_token_hint or a client_id, to know whose registered URIs to check.' };
  const registered = client.post_logout_redirect_uris ?? [];
  if (!registered.includes(uri)) {
    return {
      why: `post_logout_redirect_uri ${uri} is not registered for client ${client.id} (registered: ${registered.length > 0 ? registered.join(', ') : 'none'}).`,
    };
  }
  return { uri };
}
