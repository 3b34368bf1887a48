// POST /oauth/introspect (RFC 7662): client-authenticated; a token the caller may not see,
// or one that is not live, is exactly {"active": false}.
import assert from 'node:assert/strict';
import { decodeJwt } from '../helpers/bootstrap.js';
import { assertNoStore, assertOAuthError, basic, CLIENTS, ISSUER, oidcHarness, SEED, spec, type OidcHarness } from './helpers.js';

describe('oidc POST /oauth/introspect', () => {
  let h: OidcHarness;
  beforeEach(async () => {
    h = await oidcHarness();
  });
  const introspect = async (form: Record<string, string | undefined>, headers: Record<string, string> = basic(SEED.clientId, SEED.secret)) =>
    spec('introspect', await h.post('/oauth/introspect', form, headers));
  const now = () => Math.floor(h.clock.now() / 1000);

  it('describes a live access token to the client it was issued to', async () => {
    const tokens = await h.login();
    const res = await introspect({ token: tokens.access_token, token_type_hint: 'access_token' });
    assert.equal(res.status, 200);
    assertNoStore(res);
    const { jti } = decodeJwt(tokens.access_token ?? '').payload;
    assert.deepEqual(res.body, {
      active: true,
      token_type: 'Bearer',
      client_id: SEED.clientId,
      scope: 'openid profile email',
      sub: 'alice',
      aud: SEED.clientId,
      iss: ISSUER,
      exp: now() + 3600,
      iat: now(),
      jti,
      username: 'alice',
    });
  });

  it('describes a live refresh token, and a rotated one as inactive', async () => {
    const tokens = await h.login();
    assert.deepEqual((await introspect({ token: tokens.refresh_token })).body, {
      active: true,
      token_type: 'refresh_token',
      client_id: SEED.clientId,
      scope: 'openid profile email',
      sub: 'alice',
      exp: now() + 14 * 24 * 3600,
      iat: now(),
      iss: ISSUER,
    });
    await h.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, basic(SEED.clientId, SEED.secret));
    assert.deepEqual((await introspect({ token: tokens.refresh_token })).body, { active: false });
  });

  it('describes a client_credentials token (sub is the client)', async () => {
    const issued = await h.post('/oauth/token', { grant_type: 'client_credentials' }, basic(CLIENTS.worker.id, CLIENTS.worker.secret));
    const res = await introspect({ token: issued.body.access_token as string }, basic(CLIENTS.worker.id, CLIENTS.worker.secret));
    assert.deepEqual([res.body.active, res.body.sub, res.body.client_id, res.body.scope], [true, 'worker', 'worker', 'api:read api:write']);
  });

  const inactive: [string, (h: OidcHarness) => Promise<string>][] = [
    ['garbage', async () => 'not-a-token'],
    ['an ID token', async (t) => (await t.login()).id_token ?? ''],
    ['a user token', async (t) => t.userToken('alice')],
    [
      "another client's token",
      async (t) => (await t.login({ client: CLIENTS.post.id, auth: { client_id: CLIENTS.post.id, client_secret: CLIENTS.post.secret } })).access_token ?? '',
    ],
    [
      "another client's refresh token",
      async (t) => (await t.login({ client: CLIENTS.post.id, auth: { client_id: CLIENTS.post.id, client_secret: CLIENTS.post.secret } })).refresh_token ?? '',
    ],
    [
      'a revoked access token',
      async (t) => {
        const { access_token: token = '' } = await t.login();
        await t.post('/oauth/revoke', { token }, basic(SEED.clientId, SEED.secret));
        return token;
      },
    ],
    [
      'an expired access token',
      async (t) => {
        const { access_token: token = '' } = await t.login();
        t.clock.advance(3600);
        return token;
      },
    ],
  ];
  for (const [name, make] of inactive) {
    it(`answers exactly {"active": false} for ${name}`, async () => {
      const res = await introspect({ token: await make(h) });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { active: false });
    });
  }

  it('requires client authentication and a token', async () => {
    const tokens = await h.login();
    const res = await introspect({ token: tokens.access_token }, basic(SEED.clientId, 'wrong'));
    assertOAuthError(res, 401, 'invalid_client', 'client authentication failed: unknown client or wrong secret');
    assert.equal(res.headers['www-authenticate'], 'Basic realm="oauth-mock"');
    assertOAuthError(await introspect({}), 400, 'invalid_request', 'token is required');
  });

  it('authenticates private_key_jwt with the introspection endpoint as audience', async () => {
    const tokens = await h.login({
      client: CLIENTS.jwt.id,
      auth: { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await h.assertion() },
    });
    const res = await introspect(
      {
        token: tokens.access_token,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await h.assertion({ aud: `${ISSUER}/oauth/introspect` }),
      },
      {},
    );
    assert.deepEqual([res.body.active, res.body.client_id], [true, CLIENTS.jwt.id]);
  });
});
