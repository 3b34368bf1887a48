import type { SigningAlg } from '../tokens/keys.js';

/** Lifetimes in seconds. */
export interface Ttls {
  /** Authorization codes (RFC 6749 §4.1.2 recommends ≤ 10 minutes). */
  code: number;
  accessToken: number;
  idToken: number;
  refreshToken: number;
  /** Default for user tokens minted from the terminal. */
  userToken: number;
}

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
}

/** The port oauth-mock listens on by default: clear of the usual 3000/8080 app ports. */
export const DEFAULT_PORT = 9400;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = '.oauth-mock/db.json';

export const DEFAULT_TTLS: Ttls = {
  code: 60,
  accessToken: 3600,
  idToken: 3600,
  refreshToken: 14 * 24 * 3600,
  userToken: 3600,
};

export const BODY_LIMIT = 16 * 1024;

/** The default issuer: this server's origin, without a trailing slash (OIDC Discovery §4.3). */
export function issuerFor(host: string, port: number): string {
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${shownHost}:${port}`;
}

export function normalizeBasePath(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
