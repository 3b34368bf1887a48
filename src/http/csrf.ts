// CSRF protection for the browser forms (login, logout confirmation): a double-submit token.
// The cookie is SameSite=Strict, so a form posted from another site arrives without it, and
// a page on another site cannot read it to copy it into the form (login CSRF, RFC 6749 §10.12).
import type { Context } from 'koa';
import { randomToken, safeEqual } from '../core/random.js';
import { CSRF_COOKIE, readCookie, setCookie, type CookieScope } from './cookies.js';

/** The token to put in a form: the browser's current one, or a new one (set as a cookie). */
export function csrfToken(ctx: Context, scope: CookieScope): string {
  const current = readCookie(ctx, CSRF_COOKIE);
  const token = current !== undefined && current.length >= 22 ? current : randomToken(24);
  // Re-sent each time, so the token lives as long as the browser session that shows forms.
  setCookie(ctx, CSRF_COOKIE, token, scope, { sameSite: 'Strict' });
  return token;
}

/** Whether a posted form carries the token of the cookie it came with. */
export function csrfValid(ctx: Context, posted: unknown): boolean {
  const cookie = readCookie(ctx, CSRF_COOKIE);
  return cookie !== undefined && typeof posted === 'string' && posted !== '' && safeEqual(cookie, posted);
}
