import { InvalidRequest } from '../errors.js';
import type { Params } from '../core/params.js';

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
