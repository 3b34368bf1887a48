// Parsers for repeatable and structured flags.
import { REGISTERED_CLAIMS } from '../core/claims.js';
import { define } from '../core/lookup.js';
import { isScopeToken } from '../core/scope.js';
import { isAbsoluteUri } from '../core/uri.js';
import { UsageError } from './io.js';

/** For repeatable options: `--x a --x b` → ['a', 'b']; absent stays undefined. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `key=value` pairs; a value that parses as JSON is taken as JSON (`roles=["admin"]`, `level=3`), else as text. */
export function parseClaims(pairs: readonly string[] | undefined, flag = '--claim'): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${pair} must be key=value, e.g. ${flag} 'roles=["admin"]'`);
    const key = pair.slice(0, eq).trim();
    if (key === '' || REGISTERED_CLAIMS.has(key)) throw new UsageError(`${flag} ${key}: "${key}" is a registered claim oauth-mock sets itself`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text.
    }
    define(claims, key, value);
  }
  return claims;
}

/** `15m`, `2h`, `1d`, `90s` or plain seconds. */
export function parseDuration(value: string, flag = '--ttl'): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} ${value} is not a duration; use e.g. 90s, 15m, 2h or 1d`);
  const n = Number(match[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  if (n <= 0) throw new UsageError(`${flag} must be positive`);
  return n * unit;
}

/** Scopes from repeatable `--scope`, each of which may hold several space-separated ones (RFC 6749 §3.3). */
export function parseScopes(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const scopes = values.flatMap((v) => v.split(/[\s,]+/)).filter((s) => s !== '');
  for (const scope of scopes) {
    if (!isScopeToken(scope)) throw new UsageError(`--scope ${scope} has a character RFC 6749 §3.3 does not allow`);
  }
  return [...new Set(scopes)];
}

/** An absolute URI without a fragment: what RFC 6749 §3.1.2 asks of a redirect URI and RFC 8707 §2 of a resource. */
export function absoluteUri(value: string, flag: string): string {
  if (!isAbsoluteUri(value)) throw new UsageError(`${flag} ${value} is not an absolute URI`);
  if (value.includes('#')) throw new UsageError(`${flag} ${value} must not contain a fragment`);
  return value;
}
