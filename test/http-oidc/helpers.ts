// Shared by the oidc profile's HTTP tests: a harness on the oidc profile with clients for each
// authentication method, form-encoded requests, and every response checked against
// openapi/openapi-oidc.json before a test looks at it.
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Response } from 'supertest';
import type { Client, StoredKey, User } from '../../src/core/types.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import type { SigningAlg } from '../../src/tokens/keys.js';
import { bootstrap, ISSUER, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec, OIDC_SPEC_URL } from '../helpers/openapi.js';
import { assertNoStore, basic } from '../http/helpers.js';

export { ISSUER, SEED };
export const FORM = 'application/x-www-form-urlencoded';
export type Form = Record<string, string | string[] | undefined>;

/** Checks `res` against the oidc profile's OpenAPI document, headers included; returns it. */
export function spec(operationId: string, res: Response): Response {
  assertMatchesSpec(operationId, res.status, res.body, res.headers, OIDC_SPEC_URL);
  return res;
}

/** `application/x-www-form-urlencoded`, with repeated names for arrays; undefined values are left out. */
export function formBody(form: Form): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  }
  return params.toString();
}

// The same on both profiles.
export { assertNoStore, basic };

export const CLIENTS = {
  basic: { id: 'basic_app', secret: 'basic-app-secret' },
  post: { id: 'post_app', secret: 'post-app-secret' },
  jwt: { id: 'jwt_app' },
  worker: { id: 'worker', secret: 'worker-secret' },
  redirectUri: 'https://app.example/cb',
} as const;

const CAROL: User = {
  id: 'carol',
  name: 'Carol Danvers',
  email: 'carol@example.com',
  email_verified: true,
  nickname: 'cap',
  locale: 'en-US',
  phone_number: '+1 555 0100',
  phone_number_verified: false,
  address: { locality: 'Boston', country: 'US' },
  claims: { tenant: 'acme' },
};

export interface OidcHarness extends Harness {
  /** The private key of `jwt_app` (its public half is the client's registered jwks). */
  jwtKey: CryptoKey;
  post(path: string, form: Form, headers?: Record<string, string>): Promise<Response>;
  /** A signed private_key_jwt assertion for `jwt_app`; `claims` override the defaults. */
  assertion(claims?: Record<string, unknown>): Promise<string>;
  /** Authorize (bearer user token) + token for `client`, with client_secret_basic unless `auth` says otherwise. */
  login(opts?: { client?: string; auth?: Form; headers?: Record<string, string>; query?: Form; user?: string }): Promise<Record<string, string>>;
}

// One RSA key for every harness in the run: generating a 2048-bit key per test is slow.
let sharedKeys: StoredKey[] | undefined;

export async function oidcHarness(opts: { alg?: SigningAlg } = {}): Promise<OidcHarness> {
  const { privateKey: jwtKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'jwt-app-1', alg: 'ES256' };
  const data = loadFixtures();
  const scopes = ['openid', 'profile', 'email', 'address', 'phone'];
  const extra: Client[] = [
    {
      id: CLIENTS.basic.id,
      secret: CLIENTS.basic.secret,
      public: false,
      redirect_uris: [CLIENTS.redirectUri],
      scopes,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      id: CLIENTS.post.id,
      secret: CLIENTS.post.secret,
      public: false,
      redirect_uris: [CLIENTS.redirectUri],
      scopes,
      token_endpoint_auth_method: 'client_secret_post',
    },
    { id: CLIENTS.jwt.id, public: false, redirect_uris: [CLIENTS.redirectUri], scopes, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } },
    {
      id: CLIENTS.worker.id,
      secret: CLIENTS.worker.secret,
      public: false,
      redirect_uris: [],
      scopes: ['api:read', 'api:write'],
      grant_types: ['client_credentials'],
    },
  ];
  for (const client of extra) data.clients[client.id] = client;
  data.users[CAROL.id] = CAROL;
  const alg = opts.alg ?? 'RS256';
  if (alg === 'RS256' && sharedKeys) data.meta.keys = structuredClone(sharedKeys);
  const h = await bootstrap({ alg, data, config: { profile: 'oidc' } });
  if (alg === 'RS256') sharedKeys ??= structuredClone(h.store.read().meta.keys);

  const post: OidcHarness['post'] = (path, form, headers = {}) =>
    h.agent
      .post(path)
      .set({ 'Content-Type': FORM, ...headers })
      .send(formBody(form));

  const assertion: OidcHarness['assertion'] = (claims = {}) => {
    const now = Math.floor(h.clock.now() / 1000);
    const payload = {
      iss: CLIENTS.jwt.id,
      sub: CLIENTS.jwt.id,
      aud: ISSUER,
      iat: now,
      exp: now + 60,
      jti: `jti-${Math.random().toString(36).slice(2)}`,
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'jwt-app-1' }).sign(jwtKey);
  };

  const login: OidcHarness['login'] = async ({ client = SEED.clientId, auth, headers, query = {}, user = 'alice' } = {}) => {
    const redirectUri = client === SEED.clientId ? SEED.redirectUri : client === 'spa_public' ? 'http://localhost:3000/callback' : CLIENTS.redirectUri;
    const code = await h.code({ client_id: client, redirect_uri: redirectUri, ...query }, user);
    const credentials = auth ?? {};
    const creds = headers ?? (auth ? {} : basic(SEED.clientId, SEED.secret));
    const res = await post(
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: SEED.verifier, ...credentials },
      creds,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Record<string, string>;
  };

  return { ...h, jwtKey, post, assertion, login };
}

/** Asserts an RFC 6749 §5.2 error body: exact status, code and description. */
export function assertOAuthError(res: Response, status: number, error: string, description?: string | RegExp): void {
  assert.equal(res.status, status, `expected ${status} ${error}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body as object).sort(), ['error', 'error_description']);
  assert.equal(res.body.error, error);
  if (typeof description === 'string') assert.equal(res.body.error_description, description);
  else if (description) assert.match(res.body.error_description as string, description);
}
