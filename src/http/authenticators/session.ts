// The oidc profile's end user (OIDC Core §3.1.2.2-3.1.2.3), after the request is validated:
// a user token in `Authorization: Bearer` (as in spec, for HTTP-only suites), else the
// browser's login session, else the login page (or, with --login auto, an automatic sign-in).
import type { Context } from 'koa';
import type { AuthorizeRequest, EndUser } from '../../core/authorize.js';
import { epochSeconds } from '../../core/clock.js';
import { decideLogin, parseMaxAge, parsePrompt } from '../../core/login-decision.js';
import { checkUsername, loginFacts } from '../../core/login-claims.js';
import { findUser } from '../../core/lookup.js';
import { optionalString, type Params } from '../../core/params.js';
import { findSession } from '../../core/sessions.js';
import type { Data } from '../../core/types.js';
import type { LoginMode } from '../../config/defaults.js';
import { InvalidRequest, LoginRequired, RequestNotSupported, RequestUriNotSupported } from '../../errors.js';
import type { KeyRing } from '../../tokens/keys.js';
import type { Tokens } from '../../tokens/tokens.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { verifyIdTokenHint } from '../id-token-hint.js';
import { showLoginPage, signIn, type LoginDeps } from '../login-flow.js';
import { checkResponseMode } from '../profiles/authorize-response.js';
import type { Authenticator } from './authenticator.js';
import { bearerUserAuthenticator } from './bearer-user.js';

export interface SessionAuthDeps extends LoginDeps {
  tokens: Tokens;
  keys: (data: Readonly<Data>) => KeyRing;
  login: LoginMode;
}

/** The oidc-only parameters of an authorization request; their errors are redirected. */
export function checkOidcParams(params: Params) {
  // OIDC Core §3.1.2.6, §6: request objects are not supported, and say so rather than ignore them.
  if (Object.hasOwn(params, 'request'))
    throw new RequestNotSupported('request objects (the request parameter) are not supported; send the parameters themselves');
  if (Object.hasOwn(params, 'request_uri')) throw new RequestUriNotSupported('request_uri is not supported; send the parameters themselves');
  checkResponseMode(params);
  return { prompt: parsePrompt(optionalString(params, 'prompt')), maxAge: parseMaxAge(optionalString(params, 'max_age')) };
}

export function sessionAuthenticator(deps: SessionAuthDeps): Authenticator {
  const bearer = bearerUserAuthenticator({ store: deps.store, tokens: deps.tokens });
  return {
    when: 'after-validation',
    async authenticate(ctx: Context, request: AuthorizeRequest, params: Params): Promise<EndUser | undefined> {
      const { prompt, maxAge } = checkOidcParams(params);
      if (bearer.when === 'first' && ctx.get('Authorization') !== '') return bearer.authenticate(ctx);
      const data = deps.store.read();
      const now = epochSeconds(deps.clock);
      const hintToken = optionalString(params, 'id_token_hint');
      let hintSub: string | undefined;
      if (hintToken !== undefined) {
        const result = verifyIdTokenHint({ issuer: deps.config.issuer, keys: deps.keys }, data, hintToken);
        if (!result.ok) throw new InvalidRequest(result.reason);
        hintSub = result.hint.sub;
      }
      const current = findSession(data, readCookie(ctx, SESSION_COOKIE), now);
      const decision = decideLogin({ prompt, ...(maxAge !== undefined ? { maxAge } : {}), ...(hintSub !== undefined ? { hintSub } : {}) }, current, now);
      if (decision.kind === 'session') {
        const user = findUser(data, decision.session.user_id);
        // findSession checked that the user exists; it cannot have gone since this read.
        if (!user) throw new LoginRequired('the signed-in user no longer exists');
        return { user, authTime: decision.session.auth_time, login: loginFacts(decision.sid, decision.session.claims) };
      }
      if (deps.login === 'auto') return signIn(ctx, deps, autoUser(data, optionalString(params, 'login_hint') ?? hintSub));
      showLoginPage(ctx, deps, request, params, decision.reason !== undefined ? { reason: decision.reason } : {});
      return undefined;
    },
  };
}

/** --login auto: the hinted user (an unknown but valid name signs in ad hoc), else the first user. */
function autoUser(data: Readonly<Data>, hint: string | undefined): string {
  if (hint !== undefined && checkUsername(hint) === undefined) return hint;
  const first = Object.keys(data.users)[0];
  if (first === undefined) throw new LoginRequired('--login auto has no user to sign in: add one (oauth-mock users add ID) or send login_hint');
  return first;
}
