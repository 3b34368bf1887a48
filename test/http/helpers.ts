// The one helpers module of the HTTP-level tests (test/http, test/security, test/api): requests to
// the in-process harness (supertest) or to a running mock (fetch, as a user's suite would send
// them), each checked against openapi/openapi.json before the test looks at it, and the
// assertions on what came back.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import type { OAuthMock } from '../../src/index.js';
import { authorizeQuery, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

export type Query = Record<string, string | string[] | undefined>;
export type Body = Record<string, unknown>;

/** Checks `res` against the operation in the OpenAPI document, headers included; returns it. */
export function spec(operationId: string, res: Response): Response {
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

export const CLIENT_CREDS = { client_id: SEED.clientId, client_secret: SEED.secret } as const;

export async function authorize(h: Harness, query: Query = {}, bearer: string | null = h.userToken()): Promise<Response> {
  let req = h.agent.get(`/oauth/authorize?${authorizeQuery(query)}`);
  if (bearer !== null) req = req.set('Authorization', `Bearer ${bearer}`);
  return spec('authorize', await req);
}

/** Authorize with a raw query string (for byte-level cases). */
export async function authorizeRaw(h: Harness, rawQuery: string, bearer: string | null = h.userToken()): Promise<Response> {
  let req = h.agent.get(`/oauth/authorize?${rawQuery}`);
  if (bearer !== null) req = req.set('Authorization', `Bearer ${bearer}`);
  return spec('authorize', await req);
}

export async function token(h: Harness, body: Body, headers: Record<string, string> = {}): Promise<Response> {
  const res = await h.agent.post('/oauth/token').set(headers).send(body);
  return spec('token', res);
}

/** Redeems `code` for client_123 with the seed's verifier; `overrides` replace or (undefined) drop fields. */
export async function redeem(h: Harness, code: string, overrides: Body = {}, headers: Record<string, string> = {}): Promise<Response> {
  return token(
    h,
    withoutUndefined({
      grant_type: 'authorization_code',
      code,
      redirect_uri: SEED.redirectUri,
      code_verifier: SEED.verifier,
      ...CLIENT_CREDS,
      ...overrides,
    }),
    headers,
  );
}

export async function refresh(h: Harness, refreshToken: string, overrides: Body = {}): Promise<Response> {
  return token(h, withoutUndefined({ grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT_CREDS, ...overrides }));
}

export async function revoke(h: Harness, body: Body, headers: Record<string, string> = {}): Promise<Response> {
  const res = await h.agent
    .post('/oauth/revoke')
    .set(headers)
    .send(withoutUndefined({ ...CLIENT_CREDS, ...body }));
  return spec('revokeToken', res);
}

export async function userinfo(h: Harness, accessToken: string | null): Promise<Response> {
  let req = h.agent.get('/oauth/userinfo');
  if (accessToken !== null) req = req.set('Authorization', `Bearer ${accessToken}`);
  return spec('userinfo', await req);
}

export function withoutUndefined(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The parameters of a 302's Location, asserting it redirects to `base` (origin + path). */
export function redirectParams(res: Response, base: string = SEED.redirectUri): URLSearchParams {
  assert.equal(res.status, 302, `expected a redirect, got ${res.status} ${JSON.stringify(res.body)}`);
  const location = new URL(res.headers.location as string);
  assert.equal(`${location.origin}${location.pathname}`, base);
  return location.searchParams;
}

/**
 * Asserts an error envelope: exact status and code, a message (exactly `message` when given), no
 * data and no redirect. Check the response against the spec first (every request helper here does).
 */
export function assertError(res: Response, status: number, code: string, message?: string | RegExp): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.headers.location, undefined, 'an error must not redirect');
  assert.equal(res.body.success, false);
  assert.equal(res.body.error?.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error?.message, 'string');
  assert.equal(res.body.data, undefined);
  if (typeof message === 'string') assert.equal(res.body.error.message, message);
  else if (message) assert.match(res.body.error.message, message);
}

/**
 * Asserts an authorize error redirect to `redirectUri` (default the seed's): the error, a
 * description, no code; and the `state` and `iss` parameters when given (null: absent).
 */
export function assertRedirectError(res: Response, error: string, expect: { state?: string | null; iss?: string; redirectUri?: string } = {}): URLSearchParams {
  const params = redirectParams(res, expect.redirectUri);
  assert.equal(params.get('error'), error, res.headers.location);
  assert.ok((params.get('error_description') ?? '').length > 0);
  if (expect.state !== undefined) assert.equal(params.get('state'), expect.state);
  if (expect.iss !== undefined) assert.equal(params.get('iss'), expect.iss);
  assert.equal(params.get('code'), null);
  return params;
}

export function assertNoStore(res: Response): void {
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers.pragma, 'no-cache');
}

export function assertBearerChallenge(res: Response, withError: boolean): void {
  const header = res.headers['www-authenticate'] as string;
  assert.ok(header.startsWith('Bearer realm="oauth-mock"'), header);
  if (withError) assert.match(header, /error="invalid_token"/);
  else assert.doesNotMatch(header, /error=/);
}

/** The store's HS256 secret, so tests can forge tokens the way an attacker with the key would. */
export function hsSecret(h: Harness): string {
  const secret = h.store.read().meta.secret;
  assert.ok(secret);
  return secret;
}

/** Signs `payload` with the server's own HS256 key and the given header. */
export function signHs(h: Harness, payload: Body, header: Body = {}, secret: string = hsSecret(h)): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', header: { alg: 'HS256', ...header } });
}

/** An unsigned JWT (`alg: none`). */
export function unsignedJwt(header: Body, payload: Body): string {
  const part = (v: Body) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', ...header })}.${part(payload)}.`;
}

export function basic(id: string, secret: string): Record<string, string> {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return { Authorization: `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')}` };
}

export const nowSeconds = (h: Harness) => Math.floor(h.clock.now() / 1000);

export function codeCount(h: Harness): number {
  return Object.keys(h.store.read().codes).length;
}

export function grantCount(h: Harness): number {
  return Object.keys(h.store.read().grants).length;
}

/** A live access token still works at userinfo (200) or not (401 invalid_token). */
export async function userinfoStatus(h: Harness, accessToken: string): Promise<number> {
  const res = await userinfo(h, accessToken);
  if (res.status === 401) assert.equal(res.body.error.code, 'invalid_token');
  return res.status;
}

// A running mock (startOAuthMock), over fetch as the app under test would call it.

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function answer(res: globalThis.Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** POSTs JSON to one of the mock's endpoints and checks the answer against the OpenAPI document. */
export async function postJson(mock: OAuthMock, path: string, operationId: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await answer(
    await fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

export async function getJson(mock: OAuthMock, path: string, operationId: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await answer(await fetch(`${mock.url}${path}`, { headers }));
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

/** authorize at a running mock for client_123 as `user`, with the seed's PKCE pair; returns the code. */
export async function mockCode(mock: OAuthMock, user = 'alice', scope = 'openid profile email'): Promise<string> {
  const token = await mock.mintToken({ user });
  const res = await fetch(`${mock.url}/oauth/authorize?${authorizeQuery({ scope })}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const code = new URL(res.headers.get('location') as string).searchParams.get('code');
  assert.ok(code, 'the redirect carries a code');
  return code;
}

/** The whole code flow at a running mock; returns the token endpoint's data. */
export async function codeFlow(mock: OAuthMock, user = 'alice', scope = 'openid profile email'): Promise<Record<string, string>> {
  const code = await mockCode(mock, user, scope);
  const res = await postJson(mock, '/oauth/token', 'token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: SEED.redirectUri,
    code_verifier: SEED.verifier,
    ...CLIENT_CREDS,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as Record<string, string>;
}
