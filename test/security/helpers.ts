// Shared assertions for the adversarial suite: every refusal is checked for its exact status,
// error code and envelope, and that it carried no redirect.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { SEED, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

/** Asserts an error envelope with exactly this status and code, valid against the spec, and no Location. */
export function assertError(res: Response, operationId: string, status: number, code: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.equal(res.headers.location, undefined, 'an error must not redirect');
  assert.equal(res.body.success, false);
  assert.equal(res.body.error?.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error?.message, 'string');
  assertMatchesSpec(operationId, status, res.body, res.headers);
}

/** Asserts authorize redirected an error to the registered redirect_uri; returns the Location's query. */
export function assertErrorRedirect(res: Response, code: string, redirectUri: string = SEED.redirectUri): URLSearchParams {
  assert.equal(res.status, 302, `expected 302, got ${res.status}: ${JSON.stringify(res.body)}`);
  const location = new URL(res.headers.location as string);
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  assert.equal(location.searchParams.get('error'), code, location.href);
  assert.equal(location.searchParams.get('code'), null);
  return location.searchParams;
}

export function codeCount(h: Harness): number {
  return Object.keys(h.store.read().codes).length;
}

export function grantCount(h: Harness): number {
  return Object.keys(h.store.read().grants).length;
}

/** GET /oauth/authorize with a raw query string and alice's user token. */
export function authorizeRaw(h: Harness, rawQuery: string, token: string = h.userToken()) {
  return h.agent.get(`/oauth/authorize?${rawQuery}`).set('Authorization', `Bearer ${token}`);
}

/** POST /oauth/token for client_123 (body credentials) with `overrides`; undefined drops a member. */
export function tokenRequest(h: Harness, overrides: Record<string, unknown>) {
  const body: Record<string, unknown> = {
    grant_type: 'authorization_code', redirect_uri: SEED.redirectUri, code_verifier: SEED.verifier,
    client_id: SEED.clientId, client_secret: SEED.secret, ...overrides,
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return h.agent.post('/oauth/token').send(body);
}

/** A live access token still works at userinfo (200) or not (401 invalid_token). */
export async function userinfoStatus(h: Harness, accessToken: string): Promise<number> {
  const res = await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${accessToken}`);
  if (res.status === 401) assert.equal(res.body.error.code, 'invalid_token');
  return res.status;
}
