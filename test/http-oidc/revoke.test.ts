// POST /oauth/revoke in the oidc profile (RFC 7009): form bodies, 200 with an empty body.
import assert from 'node:assert/strict';
import { assertNoStore, assertOAuthError, basic, CLIENTS, oidcHarness, SEED, spec, type OidcHarness } from './helpers.js';

describe('oidc POST /oauth/revoke', () => {
  let h: OidcHarness;
  beforeEach(async () => {
    h = await oidcHarness();
  });
  const revoke = async (form: Record<string, string | undefined>, headers: Record<string, string> = basic(SEED.clientId, SEED.secret)) =>
    spec('revokeToken', await h.post('/oauth/revoke', form, headers));
  const active = async (token: string) => (await h.post('/oauth/introspect', { token }, basic(SEED.clientId, SEED.secret))).body.active as boolean;

  it('revokes a refresh token and its whole grant: 200, empty body, not cached', async () => {
    const tokens = await h.login();
    const res = await revoke({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    assert.deepEqual([res.status, res.text, res.headers['content-length']], [200, '', '0']);
    assertNoStore(res);
    assert.deepEqual([await active(tokens.refresh_token ?? ''), await active(tokens.access_token ?? '')], [false, false]);
    const refreshed = await h.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, basic(SEED.clientId, SEED.secret));
    assertOAuthError(refreshed, 400, 'invalid_grant', 'the refresh token has been revoked');
  });

  it('revokes an access token by its jti (the hint is only a hint)', async () => {
    const tokens = await h.login();
    assert.equal((await revoke({ token: tokens.access_token, token_type_hint: 'refresh_token' })).status, 200);
    assert.deepEqual([await active(tokens.access_token ?? ''), await active(tokens.refresh_token ?? '')], [false, true]);
    const userinfo = await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${tokens.access_token}`);
    assert.equal(userinfo.status, 401);
  });

  it("answers 200 and revokes nothing for an unknown token or another client's (RFC 7009 §2.2)", async () => {
    assert.equal((await revoke({ token: 'garbage' })).status, 200);
    const theirs = await h.login({ client: CLIENTS.post.id, auth: { client_id: CLIENTS.post.id, client_secret: CLIENTS.post.secret } });
    assert.equal((await revoke({ token: theirs.refresh_token })).status, 200);
    const still = await h.post('/oauth/introspect', { token: theirs.refresh_token, client_id: CLIENTS.post.id, client_secret: CLIENTS.post.secret });
    assert.equal(still.body.active, true);
  });

  it('requires token and client authentication, in RFC 6749 §5.2 errors', async () => {
    assertOAuthError(await revoke({}), 400, 'invalid_request', 'token is required');
    const unauthenticated = await revoke({ token: 'x', client_id: SEED.clientId, client_secret: 'nope' }, {});
    assertOAuthError(unauthenticated, 400, 'invalid_client', 'client authentication failed: unknown client or wrong secret');
    const json = spec('revokeToken', await h.agent.post('/oauth/revoke').set(basic(SEED.clientId, SEED.secret)).send({ token: 'x' }));
    assertOAuthError(json, 400, 'invalid_request', /^this endpoint accepts application\/x-www-form-urlencoded request bodies only/);
  });

  it('lets a public client revoke its own tokens with client_id alone', async () => {
    const tokens = await h.login({ client: 'spa_public', auth: { client_id: 'spa_public' } });
    assert.equal((await revoke({ token: tokens.refresh_token, client_id: 'spa_public' }, {})).status, 200);
    const introspected = await h.post('/oauth/introspect', { token: tokens.refresh_token, client_id: 'spa_public' });
    assert.deepEqual(introspected.body, { active: false });
  });
});
