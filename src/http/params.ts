import { InvalidRequest } from '../errors.js';
import type { Params } from './profiles/profile.js';

/** A single-valued string parameter; absent and empty are both undefined (RFC 6749 §3.1). */
export function optionalString(params: Params, name: string): string | undefined {
  if (!Object.hasOwn(params, name)) return undefined;
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw new InvalidRequest(`${name} was given more than once`);
  if (typeof value !== 'string') throw new InvalidRequest(`${name} must be a string`);
  return value === '' ? undefined : value;
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw new InvalidRequest(`${name} is required`);
  return value;
}

/** RFC 8707 §2: `resource` may repeat; each an absolute URI without a fragment. */
export function resourceList(params: Params): string[] {
  if (!Object.hasOwn(params, 'resource')) return [];
  const value = params.resource;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) throw new InvalidRequest('resource must be a string or an array of strings');
  return [...new Set(list)];
}

/**
 * Parses a raw query string strictly: malformed percent-encoding is a client error, not
 * a silent replacement character (which could let a tampered `state` pass).
 */
export function parseQuery(raw: string): Params {
  const out: Record<string, string | string[]> = Object.create(null);
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
