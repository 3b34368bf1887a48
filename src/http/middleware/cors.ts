import cors from '@koa/cors';
import type { Middleware } from 'koa';

/** The CORS headers every cross-origin answer carries; the fast path sends the same ones. */
export const CORS_RESPONSE_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'WWW-Authenticate',
  Vary: 'Origin',
} as const;

/**
 * CORS for the endpoints a browser app calls with fetch: token, revoke, userinfo, discovery,
 * JWKS (a public SPA client runs its code flow from the page). Never at authorize, which is
 * navigated to, not fetched (RFC 9700 §2.6). `*` without credentials: these endpoints take
 * bearer tokens and client credentials in headers and bodies, never cookies.
 */
export function corsFor(paths: readonly string[]): Middleware {
  const allowed = new Set(paths);
  return cors({
    origin: (ctx) => (allowed.has(ctx.path) ? CORS_RESPONSE_HEADERS['Access-Control-Allow-Origin'] : ''),
    allowMethods: 'GET,POST',
    allowHeaders: 'Authorization,Content-Type',
    exposeHeaders: CORS_RESPONSE_HEADERS['Access-Control-Expose-Headers'],
    maxAge: 600,
  });
}
