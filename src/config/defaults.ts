import type { SigningAlg } from '../core/signing-alg.js';
import type { Ttls } from '../core/ttl.js';
import type { ProfileName } from './profile-name.js';

export { DEFAULT_TTLS, type Ttls } from '../core/ttl.js';

/** What the HTTP app needs to know; resolved before the app is built. */
export interface AppConfig {
  /** Exactly the `iss` of every token and the discovery `issuer` (no trailing slash drift). */
  issuer: string;
  /** Prefix for the /oauth endpoints, e.g. `/auth` → `/auth/oauth/token`. */
  basePath: string;
  alg: SigningAlg;
  ttl: Ttls;
  /** Request bodies above this many bytes are refused with 413. */
  bodyLimit: number;
  /** The wire profile; default spec. */
  profile?: ProfileName;
  /** oidc profile: how a browser without a session signs in at authorize; default page. */
  login?: LoginMode;
  /**
   * The server itself answers over https (`start --https`, `--cert`). Its default issuer is then
   * https too, and the login cookies, which follow the issuer's scheme, are `Secure`. Absent: http.
   */
  https?: boolean;
}

/** `page`: the login page; `auto`: the login_hint user (or the first user) at once, no page. */
export type LoginMode = 'page' | 'auto';
export const LOGIN_MODES: readonly LoginMode[] = ['page', 'auto'];

/** The port oauth-mock listens on by default: clear of the usual 3000/8080 app ports. */
export const DEFAULT_PORT = 9400;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = '.oauth-mock/db.json';

export const BODY_LIMIT = 16 * 1024;

/** The default issuer: this server's origin, without a trailing slash (OIDC Discovery §4.3). */
export function issuerFor(host: string, port: number, scheme: 'http' | 'https' = 'http'): string {
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `${scheme}://${shownHost}:${port}`;
}

/**
 * Why `value` cannot prefix the /oauth endpoints, or undefined: after normalisation, a path of
 * non-empty segments of RFC 3986 unreserved and sub-delim characters (no query, fragment,
 * percent sign, space or dot segment), so every advertised URL really serves.
 */
export function basePathProblem(value: string): string | undefined {
  const path = normalizeBasePath(value);
  const ok = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)*$/.test(path) && !path.split('/').some((segment) => segment === '.' || segment === '..');
  return ok
    ? undefined
    : `${JSON.stringify(value)} is not a URL path prefix such as /auth (segments of letters, digits and - . _ ~; no query, fragment, space or dot segment)`;
}

export function normalizeBasePath(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
