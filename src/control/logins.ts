// The next login, decided by the test: the next authorization request is made by this user
// (with these extra claims, e.g. acr), whatever the authenticator would have found.
import { epochSeconds, type Clock } from '../core/clock.js';
import { describeKnown, findUser } from '../core/lookup.js';
import type { Store } from '../core/store.js';
import type { LoginFacts } from '../core/types.js';
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

/** acr (a string) and amr (strings) are login facts of their own (OIDC Core §2); the rest are claims. */
function loginFacts(claims: Record<string, unknown>): LoginFacts {
  const { acr, amr, ...rest } = claims;
  return {
    ...(typeof acr === 'string' ? { acr } : {}),
    ...(Array.isArray(amr) && amr.every((m) => typeof m === 'string') ? { amr: amr as string[] } : {}),
    ...(Object.keys(rest).length > 0 ? { claims: rest } : {}),
  };
}

/** Wraps the profile's authenticator: a queued login, if any, is the end user (no token, no page). */
export function withQueuedLogins(inner: Authenticator, deps: { logins: Logins; store: Store; clock: Clock }): Authenticator {
  const queued = () => {
    const login = deps.logins.take();
    if (!login) return undefined;
    const data = deps.store.read();
    const user = findUser(data, login.user);
    if (!user) throw new AccessDenied(`the queued login names user ${login.user}, who does not exist (${describeKnown(data.users)})`);
    return { user, authTime: epochSeconds(deps.clock), ...(login.claims ? { login: loginFacts(login.claims) } : {}) };
  };
  if (inner.when === 'first') {
    return { when: 'first', authenticate: async (ctx) => queued() ?? inner.authenticate(ctx) };
  }
  return { when: 'after-validation', authenticate: async (ctx, request, params) => queued() ?? inner.authenticate(ctx, request, params) };
}
