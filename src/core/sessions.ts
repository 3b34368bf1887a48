// Browser login sessions (the `oidc` profile's login page). They live in the store, not in
// memory: a server started from the terminal keeps its users signed in across a restart, as a
// real provider does, so the browser's cookie and the `sid` in issued ID tokens stay meaningful,
// and a CLI process sees them like every other record. They expire and are pruned like codes.
import type { Data, Session } from './types.js';
import { digestKey, randomToken, safeEqual } from './random.js';
import type { Tx } from '../store/types.js';

/** Eight hours, a working day: long enough for a test session, short enough to prune. */
export const DEFAULT_SESSION_TTL = 8 * 3600;

/** What the browser keeps: `<sid>.<secret>`. */
export interface SessionCookie {
  sid: string;
  value: string;
}

export interface NewSession {
  userId: string;
  /** Epoch seconds. */
  now: number;
  ttl?: number;
  claims?: Record<string, unknown>;
}

/**
 * Records a login. A fresh sid every time, so a session id seen before login is never the one
 * after it (session fixation). `replaces` is the sid the browser had, if any: it ends.
 */
export function createSession(tx: Tx, input: NewSession, replaces?: string): SessionCookie {
  const sid = randomToken(16);
  const secret = randomToken(32);
  const session: Session = {
    user_id: input.userId,
    secret_digest: digestKey(secret),
    auth_time: input.now,
    created_at: input.now,
    expires_at: input.now + (input.ttl ?? DEFAULT_SESSION_TTL),
    ...(input.claims !== undefined && Object.keys(input.claims).length > 0 ? { claims: input.claims } : {}),
  };
  if (replaces !== undefined) tx.delete('sessions', replaces);
  tx.put('sessions', sid, session);
  return { sid, value: `${sid}.${secret}` };
}

/** The live session a cookie value names, or undefined (unknown, forged, expired, or its user is gone). */
export function findSession(data: Readonly<Data>, cookie: string | undefined, now: number): { sid: string; session: Session } | undefined {
  if (cookie === undefined) return undefined;
  const dot = cookie.indexOf('.');
  if (dot <= 0) return undefined;
  const sid = cookie.slice(0, dot);
  if (!Object.hasOwn(data.sessions, sid)) return undefined;
  const session = data.sessions[sid];
  if (session === undefined || session.expires_at <= now) return undefined;
  if (!safeEqual(digestKey(cookie.slice(dot + 1)), session.secret_digest)) return undefined;
  if (!Object.hasOwn(data.users, session.user_id)) return undefined;
  return { sid, session };
}

/** Ends a session by sid (logout); ending an unknown or already ended one is a no-op. */
export function endSession(tx: Tx, sid: string): boolean {
  if (!Object.hasOwn(tx.data.sessions, sid)) return false;
  tx.delete('sessions', sid);
  return true;
}
