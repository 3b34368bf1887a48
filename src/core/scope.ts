import { InvalidRequest } from '../errors.js';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space separated.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export const isScopeToken = (token: string): boolean => SCOPE_TOKEN.test(token);

/** Splits a scope string into distinct tokens, in the order given. */
export function parseScope(value: string): string[] {
  const tokens = value.split(' ').filter((t) => t !== '');
  for (const token of tokens) {
    if (!isScopeToken(token)) throw new InvalidRequest('scope contains a character RFC 6749 §3.3 does not allow');
  }
  return [...new Set(tokens)];
}

export function isSubset(subset: readonly string[], of: readonly string[]): boolean {
  return subset.every((s) => of.includes(s));
}
