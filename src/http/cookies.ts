// The cookies of the `oidc` profile's browser pages: the login session and the CSRF token.
// Written by hand rather than through ctx.cookies, because `Secure` follows the issuer's
// scheme (the URL the browser really uses), not the socket: behind a TLS-terminating proxy
// Koa would refuse a Secure cookie on the plain connection it sees.
import type { Context } from 'koa';

export const SESSION_COOKIE = 'oauth_mock_session';
export const CSRF_COOKIE = 'oauth_mock_csrf';

export interface CookieScope {
  /** The issuer's path (`/` for an origin issuer), so two issuers on one host keep apart. */
  path: string;
  /** The issuer is https: the browser must never send the cookie over plain http. */
  secure: boolean;
}

export function cookieScope(issuer: string): CookieScope {
  const url = new URL(issuer);
  return { path: url.pathname.replace(/\/+$/, '') || '/', secure: url.protocol === 'https:' };
}

export interface CookieOptions {
  sameSite: 'Lax' | 'Strict';
  /** Seconds; omitted: a browser-session cookie. 0 deletes it. */
  maxAge?: number;
}

/** RFC 6265 §4.1.1: values here are base64url (and `.`), so they need no quoting or encoding. */
export function serializeCookie(name: string, value: string, scope: CookieScope, options: CookieOptions): string {
  if (!/^[A-Za-z0-9._-]*$/.test(value)) throw new TypeError(`cookie ${name}: value must be base64url`);
  return [
    `${name}=${value}`,
    `Path=${scope.path}`,
    ...(options.maxAge !== undefined ? [`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`] : []),
    'HttpOnly',
    `SameSite=${options.sameSite}`,
    ...(scope.secure ? ['Secure'] : []),
  ].join('; ');
}

export function setCookie(ctx: Context, name: string, value: string, scope: CookieScope, options: CookieOptions): void {
  ctx.append('Set-Cookie', serializeCookie(name, value, scope, options));
}

export function clearCookie(ctx: Context, name: string, scope: CookieScope, sameSite: CookieOptions['sameSite'] = 'Lax'): void {
  setCookie(ctx, name, '', scope, { sameSite, maxAge: 0 });
}

/** The value of a request cookie, or undefined; a value that is not base64url is ignored. */
export function readCookie(ctx: Context, name: string): string | undefined {
  const header = ctx.get('Cookie');
  if (header === '') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9._-]+$/.test(value) ? value : undefined;
  }
  return undefined;
}
