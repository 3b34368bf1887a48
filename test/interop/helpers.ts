// Shared by the interop tests: a real oauth-mock on the oidc profile (port 0), and the HTTP-only
// login real clients go through here: the authorization URL is fetched with the end user's bearer
// token, as oauth-mock allows for test suites, and the redirect it answers is handed back.
import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock, type OAuthMockOptions } from '../../src/index.js';

export async function startOidcMock(options: OAuthMockOptions = {}): Promise<OAuthMock> {
  return startOAuthMock({ profile: 'oidc', ...options });
}

/** Logs `user` in at `authorizationUrl` and returns the callback URL the server redirects to. */
export async function loginOverHttp(mock: OAuthMock, authorizationUrl: URL | string, user = 'alice'): Promise<URL> {
  const token = await mock.mintToken({ user });
  const res = await fetch(authorizationUrl, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  const location = res.headers.get('location');
  assert.equal(res.status, 302, `authorize answered ${res.status}: ${await res.text()}`);
  assert.ok(location);
  return new URL(location);
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}
