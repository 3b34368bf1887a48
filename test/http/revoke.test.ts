// POST /oauth/revoke: contract rule 14 (RFC 7009).
import assert from 'node:assert/strict';
import { bootstrap, decodeJwt, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertNoStore, refresh, revoke, token, userinfo } from './helpers.js';

const REVOKED = { success: true, message: 'Token revoked' };

describe('POST /oauth/revoke', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  for (const [name, body] of [
    ['missing', {}],
    ['empty', { token: '' }],
    ['a number', { token: 42 }],
    ['an array', { token: ['a'] }],
  ] as const) {
    it(`token ${name} → 400 invalid_request, no-store`, async () => {
      const res = await revoke(h, body);
      assertError(res, 400, 'invalid_request');
      assertNoStore(res);
    });
  }

  it('no client authentication → 400 invalid_client', async () => {
    const { refresh_token: rt } = await h.tokens();
    assertError(await revoke(h, { token: rt, client_id: undefined, client_secret: undefined }), 400, 'invalid_client');
    assert.equal((await refresh(h, rt as string)).status, 200, 'nothing was revoked');
  });

  for (const [name, value] of [
    ['unknown', 'rt1.AAAAAAAAAAAAAAAAAAAAAA.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['garbage', 'garbage!'],
    ['a JWT from elsewhere', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'],
  ] as const) {
    it(`${name} token → 200, same body as a real revocation`, async () => {
      const res = await revoke(h, { token: value });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, REVOKED);
      assertNoStore(res);
    });
  }

  it('a refresh token revokes its family: the refresh tokens and every access token', async () => {
    const first = await h.tokens();
    const second = (await refresh(h, first.refresh_token as string)).body.data;
    const denylistBefore = { ...h.store.read().denylist };
    const res = await revoke(h, { token: second.refresh_token, token_type_hint: 'refresh_token' });
    assert.deepEqual(res.body, REVOKED);
    assertError(await refresh(h, second.refresh_token), 400, 'invalid_grant');
    assertError(await userinfo(h, second.access_token), 401, 'invalid_token');
    assertError(await userinfo(h, first.access_token as string), 401, 'invalid_token');
    assert.deepEqual({ ...h.store.read().denylist }, denylistBefore, 'the grant is revoked, not each token');
    const grantId = (second.refresh_token as string).split('.')[1] as string;
    assert.equal(h.store.read().grants[grantId]?.revoked_at, Math.floor(h.clock.now() / 1000));
  });

  it('an access token joins the denylist by jti until its exp; the rest of the family lives on', async () => {
    const first = await h.tokens();
    const second = (await refresh(h, first.refresh_token as string)).body.data;
    const at = first.access_token as string;
    const { jti, exp } = decodeJwt(at).payload as { jti: string; exp: number };
    assert.deepEqual((await revoke(h, { token: at, token_type_hint: 'access_token' })).body, REVOKED);
    assert.equal(h.store.read().denylist[jti], exp);
    assertError(await userinfo(h, at), 401, 'invalid_token', 'the access token has been revoked');
    assert.equal((await userinfo(h, second.access_token)).status, 200);
    assert.equal((await refresh(h, second.refresh_token)).status, 200);
  });

  it('already revoked → 200 again', async () => {
    const { access_token: at, refresh_token: rt } = await h.tokens();
    for (const t of [at, rt, at, rt]) assert.deepEqual((await revoke(h, { token: t })).body, REVOKED);
  });

  it('a wrong hint is only a hint: the token is still revoked', async () => {
    const a = await h.tokens();
    await revoke(h, { token: a.access_token, token_type_hint: 'refresh_token' });
    assertError(await userinfo(h, a.access_token as string), 401, 'invalid_token');
    const b = await h.tokens();
    await revoke(h, { token: b.refresh_token, token_type_hint: 'access_token' });
    assertError(await refresh(h, b.refresh_token as string), 400, 'invalid_grant');
  });

  it("another client's tokens → 200 and nothing is revoked", async () => {
    const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
    const spa = (
      await token(h, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: PUBLIC_CLIENT.redirectUri,
        code_verifier: SEED.verifier,
        client_id: PUBLIC_CLIENT.clientId,
      })
    ).body.data;
    const before = { denylist: { ...h.store.read().denylist }, grants: { ...h.store.read().grants } };
    for (const t of [spa.access_token, spa.refresh_token]) assert.deepEqual((await revoke(h, { token: t })).body, REVOKED);
    assert.deepEqual({ ...h.store.read().denylist }, before.denylist);
    assert.deepEqual({ ...h.store.read().grants }, before.grants);
    assert.equal((await userinfo(h, spa.access_token)).status, 200);
    const own = await refresh(h, spa.refresh_token, { client_id: PUBLIC_CLIENT.clientId, client_secret: undefined });
    assert.equal(own.status, 200);
  });

  it('a public client revokes its own token with client_id only', async () => {
    const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
    const spa = (
      await token(h, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: PUBLIC_CLIENT.redirectUri,
        code_verifier: SEED.verifier,
        client_id: PUBLIC_CLIENT.clientId,
      })
    ).body.data;
    const res = await revoke(h, { token: spa.access_token, client_id: PUBLIC_CLIENT.clientId, client_secret: undefined });
    assert.deepEqual(res.body, REVOKED);
    assertError(await userinfo(h, spa.access_token), 401, 'invalid_token');
  });

  it('an id_token or an expired access token → 200, nothing recorded', async () => {
    const t = await h.tokens();
    const before = { ...h.store.read().denylist };
    assert.deepEqual((await revoke(h, { token: t.id_token })).body, REVOKED);
    h.clock.advance(3601);
    assert.deepEqual((await revoke(h, { token: t.access_token })).body, REVOKED);
    assert.deepEqual({ ...h.store.read().denylist }, before);
  });
});
