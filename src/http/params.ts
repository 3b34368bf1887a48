import type { Context } from 'koa';
import { InvalidRequest } from '../errors.js';
import type { Params } from '../core/params.js';

/**
 * `Object.hasOwn(ctx.query, name)` for a plain ASCII `name` (no `%`, `+`, `&`, `=`), without
 * Koa decoding every value of the query: a bearer check on authorize's long query string ran
 * the whole of it through URLSearchParams. A raw name without `%` decodes (URLSearchParams:
 * `+` to a space, then percent-decoding) to itself bar `+`, so it is `name` only if it is
 * spelled so; a percent-encoded name is left to Koa's own decoding.
 */
export function queryHas(ctx: Context, name: string): boolean {
  const raw = ctx.querystring;
  if (!raw.includes(name) && !raw.includes('%')) return false;
  for (const pair of raw.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key.includes('%')) return Object.hasOwn(ctx.query, name);
    if (key === name) return true;
  }
  return false;
}

/**
 * Parses a raw query string strictly: malformed percent-encoding is a client error, not
 * a silent replacement character (which could let a tampered `state` pass).
 */
export function parseQuery(raw: string): Params {
  const out = Object.create(null) as Record<string, string | string[]>;
  if (raw === '') return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest('the query string holds malformed percent-encoding');
  }
}
