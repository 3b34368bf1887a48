import { InvalidRequest } from '../errors.js';

/** A request's parameters after the profile decoded them (query, form or JSON): what the core validates. */
export type Params = Record<string, unknown>;

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
