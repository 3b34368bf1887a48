// GET and POST /oauth/userinfo in the oidc profile (OIDC Core §5.3, RFC 6750): flat claims by
// scope, the token in the header or a form body, errors in the Bearer challenge.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { assertOAuthError, basic, CLIENTS, FORM, formBody, oidcHarness, SEED, spec, type OidcHarness } from './helpers.js';

const ALICE_PROFILE_EMAIL = {
  roles: ['admin', 'user'],
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  preferred_username: 'alice',
  updated_at: 1767225600,
  email: 'alice@example.com',
  email_verified: true,
  sub: 'alice',
};

describe('oidc /oauth/userinfo', () => {
  let h: OidcHarness;
  let accessToken: string;
  beforeEach(async () => {
    h = await oidcHarness();
    accessToken = (await h.login()).access_token ?? '';
  });
  const get = async (headers: Record<string, string>, query = '') => spec('userinfo', await h.agent.get(`/oauth/userinfo${query}`).set(headers));
  const post = async (form: Record<string, string> | undefined, headers: Record<string, string> = {}) => {
    let req = h.agent.post('/oauth/userinfo').set(headers);
    if (form !== undefined) req = req.set('Content-Type', FORM).send(formBody(form));
    return spec('userinfoPost', await req);
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('GET answers flat claims by scope, not cached', async () => {
    const res = await get(bearer(accessToken));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ALICE_PROFILE_EMAIL);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('POST takes the token in the header or in the form body (RFC 6750 §2.2)', async () => {
    assert.deepEqual((await post(undefined, bearer(accessToken))).body, ALICE_PROFILE_EMAIL);
    assert.deepEqual((await post({ access_token: accessToken })).body, ALICE_PROFILE_EMAIL);
  });

  it('releases address and phone with their scopes, and only the openid claims without profile or email (OIDC Core §5.4)', async () => {
    const all = await h.login({
      client: CLIENTS.basic.id,
      headers: basic(CLIENTS.basic.id, CLIENTS.basic.secret),
      user: 'carol',
      query: { scope: 'openid profile email address phone' },
    });
    assert.deepEqual((await get(bearer(all.access_token ?? ''))).body, {
      tenant: 'acme',
      name: 'Carol Danvers',
      nickname: 'cap',
      locale: 'en-US',
      email: 'carol@example.com',
      email_verified: true,
      address: { locality: 'Boston', country: 'US' },
      phone_number: '+1 555 0100',
      phone_number_verified: false,
      sub: 'carol',
    });
    const bare = await h.login({
      client: CLIENTS.basic.id,
      headers: basic(CLIENTS.basic.id, CLIENTS.basic.secret),
      user: 'carol',
      query: { scope: 'openid phone' },
    });
    assert.deepEqual((await get(bearer(bare.access_token ?? ''))).body, {
      tenant: 'acme',
      phone_number: '+1 555 0100',
      phone_number_verified: false,
      sub: 'carol',
    });
  });

  const failures: [string, () => Promise<Response>, number, string, string, string][] = [
    ['no token', () => get({}), 401, 'invalid_request', 'Bearer realm="oauth-mock"', 'send the access token as Authorization: Bearer <token>'],
    [
      'no token in a POST',
      () => post({}),
      401,
      'invalid_request',
      'Bearer realm="oauth-mock"',
      'send the access token as Authorization: Bearer <token> or as the access_token form parameter',
    ],
    ['a garbage token', () => get(bearer('garbage')), 401, 'invalid_token', 'Bearer realm="oauth-mock", error="invalid_token"', 'the token is not a JWT'],
    [
      'the token in the query',
      () => get({}, '?access_token=abc'),
      400,
      'invalid_request',
      'Bearer realm="oauth-mock", error="invalid_request"',
      'send the access token in the Authorization header or a form body, not the query string (RFC 6750 section 2.3 is not supported)',
    ],
    [
      'the token in the header and the body',
      () => post({ access_token: 'abc' }, bearer('abc')),
      400,
      'invalid_request',
      'Bearer realm="oauth-mock", error="invalid_request"',
      'send the access token in the Authorization header or the form body, not both (RFC 6750 section 2)',
    ],
    [
      'an ID token',
      async () => get(bearer((await h.login()).id_token ?? '')),
      401,
      'invalid_token',
      'Bearer realm="oauth-mock", error="invalid_token"',
      'this is not an access token (typ JWT)',
    ],
  ];
  for (const [name, send, status, error, challenge, description] of failures) {
    it(`answers ${name} with ${status} ${error} and the challenge`, async () => {
      const res = await send();
      assertOAuthError(res, status, error, description);
      assert.equal(res.headers['www-authenticate'], challenge);
    });
  }

  it('refuses a token without openid with 403 insufficient_scope', async () => {
    const tokens = await h.login({ query: { scope: 'profile' } });
    const res = await get(bearer(tokens.access_token ?? ''));
    assertOAuthError(res, 403, 'insufficient_scope', 'userinfo needs an access token granted the openid scope');
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="oauth-mock", error="insufficient_scope", scope="openid"');
  });

  it('refuses a client_credentials token: it names no user', async () => {
    const issued = await h.post('/oauth/token', { grant_type: 'client_credentials' }, basic(CLIENTS.worker.id, CLIENTS.worker.secret));
    const res = await get(bearer(issued.body.access_token as string));
    assertOAuthError(res, 401, 'invalid_token', "the access token is client worker's own (client_credentials) and names no end user");
  });

  it('refuses a revoked token', async () => {
    await h.post('/oauth/revoke', { token: accessToken }, basic(SEED.clientId, SEED.secret));
    assertOAuthError(await post({ access_token: accessToken }), 401, 'invalid_token', 'the access token has been revoked');
  });
});
