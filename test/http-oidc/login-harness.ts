// The oidc profile's browser side over supertest: a cookie jar, the login page's hidden
// fields, and a client registered with a post-logout redirect.
import assert from 'node:assert/strict';
import supertest, { type Response } from 'supertest';
import { appConfig, createApp, createSeededStore } from '../../src/index.js';
import type { Clock } from '../../src/core/clock.js';
import type { Client } from '../../src/core/types.js';
import type { LoginMode } from '../../src/config/defaults.js';
import type { Store } from '../../src/store/types.js';
import { spec } from './helpers.js';

export { spec };

/** `spec`, then keeps the response's cookies, as the browser would. */
export function checked(h: Harness, operationId: string, res: Response): Response {
  return keepCookies(h, spec(operationId, res));
}

export const ISSUER = 'http://oauth.test';
export const WEB: Client = {
  id: 'web',
  name: 'Web <App>',
  secret: 'web-secret-web-secret-web-secret-0123',
  public: false,
  redirect_uris: ['https://app.example/cb', 'https://app.example/cb?tenant=a'],
  post_logout_redirect_uris: ['https://app.example/bye'],
  scopes: ['openid', 'profile', 'email'],
};
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export interface Harness {
  agent: ReturnType<typeof supertest>;
  store: Store;
  jar: Map<string, string>;
  clock: { now(): number; advance(seconds: number): void };
  /** A user token for `id`, what authorize takes as a bearer (as in spec). */
  userToken(id: string): string;
  /** An ID token for `id` issued to `client`, as the token endpoint would sign it. */
  idToken(id: string, opts?: { client?: string; sid?: string | undefined; ttl?: number; serverKey?: boolean }): string;
}

export async function oidcHarness(opts: { login?: LoginMode; issuer?: string; alg?: 'RS256' | 'HS256' } = {}): Promise<Harness> {
  let now = Date.UTC(2026, 0, 1);
  const clock: Clock & { advance(seconds: number): void } = { now: () => now, advance: (s) => void (now += s * 1000) };
  const alg = opts.alg ?? 'RS256';
  const store = await createSeededStore({ alg, clock });
  await store.update((tx) => tx.put('clients', WEB.id, WEB));
  const issuer = opts.issuer ?? ISSUER;
  const config = { ...appConfig({ issuer, profile: 'oidc', alg }), login: opts.login ?? 'page' };
  const app = createApp({ store, config, clock });
  const userToken = (id: string) => {
    const data = store.read();
    const user = data.users[id];
    assert.ok(user, `no user ${id}`);
    return app.appContext.tokens.mintUser(data, user, { ttl: 600 }).token;
  };
  const idToken = (id: string, o: { client?: string; sid?: string | undefined; ttl?: number; serverKey?: boolean } = {}) => {
    const data = store.read();
    const user = data.users[id];
    assert.ok(user, `no user ${id}`);
    const claims = o.sid !== undefined ? { sid: o.sid } : {};
    const clientId = o.client ?? 'web';
    // As the token endpoint signs it: under HS256 the oidc profile keys it with the client's secret (OIDC Core §10.1).
    const clientSecretKey = { clientId, secret: data.clients[clientId]?.secret };
    return app.appContext.tokens.mintId(data, {
      user,
      clientId,
      authTime: Math.floor(clock.now() / 1000),
      ttl: o.ttl ?? 600,
      claims,
      ...(o.serverKey ? {} : { clientSecretKey }),
    }).token;
  };
  return { agent: supertest(app.callback()), store, jar: new Map(), clock, userToken, idToken };
}

/** Keeps the cookies a response sets (Max-Age=0 removes one), like a browser would. */
export function keepCookies(h: Harness, res: Response): Response {
  for (const line of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
    const [pair = '', ...attrs] = line.split('; ');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    if (attrs.includes('Max-Age=0')) h.jar.delete(name);
    else h.jar.set(name, pair.slice(eq + 1));
  }
  return res;
}

export const cookieHeader = (h: Harness) => [...h.jar].map(([k, v]) => `${k}=${v}`).join('; ');

export function authorizeQuery(extra: Record<string, string | undefined> = {}): string {
  const params = {
    response_type: 'code',
    client_id: 'web',
    redirect_uri: 'https://app.example/cb',
    scope: 'openid profile',
    state: 'st&1',
    nonce: 'n-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  };
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
}

export async function getAuthorize(h: Harness, extra: Record<string, string | undefined> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return checked(h, 'authorize', await h.agent.get(`/oauth/authorize?${authorizeQuery(extra)}`).set({ Cookie: cookieHeader(h), ...headers }));
}

/** The value of a hidden input of a rendered page. */
export function hidden(res: Response, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(res.text);
  assert.ok(match, `no hidden ${name} in the page:\n${res.text}`);
  return (match[1] ?? '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

/** Submits the login page `page` with `fields` (e.g. { user: 'alice' }), the page's CSRF token and request included. */
export async function submitLogin(h: Harness, page: Response, fields: Record<string, string>): Promise<Response> {
  const form = { csrf: hidden(page, 'csrf'), authorization_request: hidden(page, 'authorization_request'), ...fields };
  return checked(h, 'login', await h.agent.post('/oauth/login').type('form').set('Cookie', cookieHeader(h)).send(form));
}

/** Signs in through the page as `user`; returns the redirect to the client. */
export async function signIn(h: Harness, user = 'alice', extra: Record<string, string | undefined> = {}): Promise<Response> {
  const page = await getAuthorize(h, extra);
  assert.equal(page.status, 200, page.text);
  const res = await submitLogin(h, page, { user });
  assert.equal(res.status, 303, res.text);
  return res;
}

/** The parameters of a redirect to the client (query or fragment). */
export function redirectParams(res: Response): Record<string, string> {
  const url = new URL(String(res.headers.location));
  return Object.fromEntries(new URLSearchParams(url.hash !== '' ? url.hash.slice(1) : url.search));
}
