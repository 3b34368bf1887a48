// What the oidc authenticator and the login form share: showing the login page, and signing a
// browser in (a fresh session in the store, its cookie set).
import type { Context } from 'koa';
import type { AuthorizeRequest, EndUser } from '../core/authorize.js';
import { epochSeconds, type Clock } from '../core/clock.js';
import type { PageReason } from '../core/login-decision.js';
import { loginFacts } from '../core/login-claims.js';
import { findUser } from '../core/lookup.js';
import type { Params } from '../core/params.js';
import { createSession, DEFAULT_SESSION_TTL, findSession } from '../core/sessions.js';
import type { AppConfig } from '../config/defaults.js';
import type { Store } from '../store/types.js';
import { cookieScope, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { csrfToken } from './csrf.js';
import { loginPage } from './pages/login-page.js';
import { sendPage } from './pages/page.js';

export interface LoginDeps {
  store: Store;
  clock: Clock;
  config: Pick<AppConfig, 'issuer'>;
  paths: { login: string };
}

/** The login page lists this many users at most; any other still signs in by username. */
const MAX_LISTED_USERS = 100;

/** The authorization request as the login form carries it back (re-validated in full then). */
export function serializeParams(params: Params): string {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.append(name, v);
  }
  return out.toString();
}

export interface PageExtras {
  reason?: PageReason;
  error?: string;
  username?: string;
  claims?: string;
}

export function showLoginPage(ctx: Context, deps: LoginDeps, request: AuthorizeRequest, params: Params, extras: PageExtras = {}): void {
  const data = deps.store.read();
  const hint = params.login_hint;
  sendPage(
    ctx,
    loginPage({
      action: deps.paths.login,
      csrf: csrfToken(ctx, cookieScope(deps.config.issuer)),
      request: serializeParams(params),
      client: { id: request.client.id, ...(request.client.name !== undefined ? { name: request.client.name } : {}) },
      scope: request.scope,
      redirectUri: request.redirectUri,
      users: Object.values(data.users).slice(0, MAX_LISTED_USERS),
      ...(typeof hint === 'string' && hint !== '' ? { loginHint: hint } : {}),
      ...extras,
    }),
  );
}

/**
 * Signs the browser in as `userId`: an unknown id becomes an ad-hoc user of that `sub`, kept in
 * the store like any other (so userinfo, refresh and the CLI know it). A fresh session replaces
 * the one the browser had, and its cookie is set.
 */
export async function signIn(ctx: Context, deps: LoginDeps, userId: string, claims: Record<string, unknown> = {}): Promise<EndUser> {
  const now = epochSeconds(deps.clock);
  const scope = cookieScope(deps.config.issuer);
  const current = findSession(deps.store.read(), readCookie(ctx, SESSION_COOKIE), now);
  const { cookie, user } = await deps.store.update((tx) => {
    let user = findUser(tx.data, userId);
    if (!user) {
      user = { id: userId };
      tx.put('users', userId, user);
    }
    return { user, cookie: createSession(tx, { userId, now, ttl: DEFAULT_SESSION_TTL, claims }, current?.sid) };
  });
  setCookie(ctx, SESSION_COOKIE, cookie.value, scope, { sameSite: 'Lax', maxAge: DEFAULT_SESSION_TTL });
  return { user, authTime: now, login: loginFacts(cookie.sid, claims) };
}
