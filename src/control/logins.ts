// The next login, decided by the test: the next authorization request is made by this user
// (with these extra claims, e.g. acr), whatever the authenticator would have found.
import { epochSeconds, type Clock } from '../core/clock.js';
import { describeKnown, findUser } from '../core/lookup.js';
import type { Store } from '../core/store.js';
import type { Context } from 'koa';
import type { EndUser } from '../core/authorize.js';
import { loginFacts, SERVER_CLAIMS } from '../core/login-claims.js';
import { AccessDenied } from '../errors.js';
import type { Authenticator } from '../http/authenticators/authenticator.js';

export interface LoginOptions {
  user: string;
  /** Claims the login established (acr, amr, ...): added to the ID and access tokens issued from it. */
  claims?: Record<string, unknown>;
}

export interface Logins {
  queue(login: LoginOptions): void;
  take(): LoginOptions | undefined;
  pending(): LoginOptions[];
  clear(): void;
}

export function checkLogin(login: unknown): LoginOptions {
  if (typeof login !== 'object' || login === null || Array.isArray(login)) throw new RangeError('a login must be an object {user, claims?}');
  const { user, claims, ...rest } = login as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new RangeError(`unknown login option ${JSON.stringify(unknown[0])}; known: user, claims`);
  if (typeof user !== 'string' || user === '') throw new RangeError('user must be the id of a user');
  if (claims !== undefined && (typeof claims !== 'object' || claims === null || Array.isArray(claims))) throw new RangeError('claims must be an object');
  const reserved = Object.keys(claims ?? {}).filter((k) => SERVER_CLAIMS.includes(k) || k === '__proto__');
  if (reserved.length > 0)
    throw new RangeError(`claims may not set ${reserved.join(', ')}: the server sets them (to log in as another subject, name it as user)`);
  const { acr, amr } = (claims ?? {}) as Record<string, unknown>;
  if (acr !== undefined && typeof acr !== 'string') throw new RangeError('claims.acr must be a string');
  if (amr !== undefined && (!Array.isArray(amr) || !amr.every((m) => typeof m === 'string'))) throw new RangeError('claims.amr must be an array of strings');
  return { user, ...(claims !== undefined ? { claims: claims as Record<string, unknown> } : {}) };
}

export function createLogins(): Logins {
  let queue: LoginOptions[] = [];
  return {
    queue(login) {
      queue.push(login);
    },
    take: () => queue.shift(),
    pending: () => [...queue],
    clear() {
      queue = [];
    },
  };
}

export interface QueuedLoginDeps {
  logins: Logins;
  store: Store;
  clock: Clock;
  /** The profile's sign-in (oidc: a session and its cookie, so `sid` and later silent logins are real); absent: none. */
  signIn?: (ctx: Context, userId: string, claims: Record<string, unknown>) => Promise<EndUser>;
}

/** Wraps the profile's authenticator: a queued login, if any, is the end user (no token, no page). */
export function withQueuedLogins(inner: Authenticator, deps: QueuedLoginDeps): Authenticator {
  const queued = async (ctx: Context): Promise<EndUser | undefined> => {
    const login = deps.logins.take();
    if (!login) return undefined;
    const data = deps.store.read();
    const user = findUser(data, login.user);
    if (!user) throw new AccessDenied(`the queued login names user ${login.user}, who does not exist (${describeKnown(data.users)})`);
    if (deps.signIn) return deps.signIn(ctx, user.id, login.claims ?? {});
    return { user, authTime: epochSeconds(deps.clock), ...(login.claims ? { login: loginFacts(undefined, login.claims) } : {}) };
  };
  if (inner.when === 'first') {
    return { when: 'first', authenticate: async (ctx) => (await queued(ctx)) ?? inner.authenticate(ctx) };
  }
  return { when: 'after-validation', authenticate: async (ctx, request, params) => (await queued(ctx)) ?? inner.authenticate(ctx, request, params) };
}
