// What a user's suite does against a running mock: plain fetch, as its app would.
import assert from 'node:assert/strict';
import type { OAuthMock } from '../../src/index.js';
import { assertMatchesSpec } from '../helpers/openapi.js';
import { SEED } from '../helpers/bootstrap.js';

export { SEED, decodeJwt } from '../helpers/bootstrap.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** POSTs JSON to one of the mock's endpoints and checks the answer against the OpenAPI document. */
export async function postJson(mock: OAuthMock, path: string, operationId: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await answer(await fetch(`${mock.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  }));
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

export async function getJson(mock: OAuthMock, path: string, operationId: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await answer(await fetch(`${mock.url}${path}`, { headers }));
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

/** authorize for client_123 as `user`, with the seed's PKCE pair; returns the code. */
export async function authorize(mock: OAuthMock, user = 'alice', scope = 'openid profile email'): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code', client_id: SEED.clientId, redirect_uri: SEED.redirectUri, scope, state: 'xyz123',
    code_challenge: SEED.challenge, code_challenge_method: 'S256',
  });
  const token = await mock.mintToken({ user });
  const res = await fetch(`${mock.url}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const code = new URL(res.headers.get('location') as string).searchParams.get('code');
  assert.ok(code, 'the redirect carries a code');
  return code;
}

/** The whole code flow; returns the token endpoint's data. */
export async function codeFlow(mock: OAuthMock, user = 'alice', scope = 'openid profile email'): Promise<Record<string, string>> {
  const code = await authorize(mock, user, scope);
  const res = await postJson(mock, '/oauth/token', 'token', {
    grant_type: 'authorization_code', code, redirect_uri: SEED.redirectUri, code_verifier: SEED.verifier,
    client_id: SEED.clientId, client_secret: SEED.secret,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as Record<string, string>;
}
