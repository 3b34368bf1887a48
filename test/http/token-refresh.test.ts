// POST /oauth/token, grant_type=refresh_token: contract rule 10 (RFC 6749 §6, RFC 9700 §4.14.2).
import assert from 'node:assert/strict';
import { bootstrap, decodeJwt, ISSUER, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertNoStore, authorize, redeem, redirectParams, refresh, token, userinfo } from './helpers.js';

describe('POST /oauth/token (refresh_token)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  it('rotates: a new refresh and access token each time, same scope, no-store', async () => {
    const first = await h.tokens();
    h.clock.advance(10);
    const res = await refresh(h, first.refresh_token as string);
    assert.equal(res.status, 200);
    assertNoStore(res);
    const next = res.body.data;
    assert.deepEqual(Object.keys(next).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.notEqual(next.refresh_token, first.refresh_token);
    assert.notEqual(next.access_token, first.access_token);
    assert.equal(next.scope, 'openid profile email');
    assert.equal(next.expires_in, 3600);
    // Both live access tokens work until something revokes the family.
    assert.equal((await userinfo(h, next.access_token)).status, 200);
    assert.equal((await userinfo(h, first.access_token as string)).status, 200);
  });

  it('keeps auth_time, sub and claims; the new id_token has no nonce (OIDC Core §12.2)', async () => {
    const authTime = Math.floor(h.clock.now() / 1000) - 500;
    const code = redirectParams(await authorize(h, { nonce: 'n-1' }, h.userToken('alice', { authTime }))).get('code') as string;
    const first = (await redeem(h, code)).body.data;
    h.clock.advance(100);
    const next = (await refresh(h, first.refresh_token)).body.data;
    const at = decodeJwt(next.access_token).payload;
    assert.equal(at.auth_time, authTime);
    assert.equal(at.sub, 'alice');
    assert.equal(at.iss, ISSUER);
    assert.equal(at.iat, Math.floor(h.clock.now() / 1000));
    assert.deepEqual(at.roles, ['admin', 'user']);
    const id = decodeJwt(next.id_token).payload;
    assert.equal(id.auth_time, authTime);
    assert.equal(Object.hasOwn(id, 'nonce'), false);
    assert.equal(id.aud, SEED.clientId);
  });

  it('a used refresh token presented again → invalid_grant, and the whole family is revoked', async () => {
    const first = await h.tokens();
    const second = (await refresh(h, first.refresh_token as string)).body.data;
    const third = (await refresh(h, second.refresh_token)).body.data;

    assertError(await refresh(h, first.refresh_token as string), 400, 'invalid_grant');

    // The newest refresh token and every access token of the family are dead.
    assertError(await refresh(h, third.refresh_token), 400, 'invalid_grant', 'the refresh token has been revoked');
    for (const at of [first.access_token as string, second.access_token, third.access_token]) {
      assertError(await userinfo(h, at), 401, 'invalid_token');
    }
  });

  it('twenty parallel refreshes of one token → exactly one 200; the rest are reuse and revoke the family', async () => {
    const rt = (await h.tokens()).refresh_token as string;
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(h, rt)));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'invalid_grant');
    const winner = ok[0]?.body.data;
    assertError(await refresh(h, winner.refresh_token), 400, 'invalid_grant');
    assertError(await userinfo(h, winner.access_token), 401, 'invalid_token');
  });

  it('another family is untouched by a reuse in one family', async () => {
    const a = await h.tokens();
    const b = await h.tokens();
    await refresh(h, a.refresh_token as string);
    assertError(await refresh(h, a.refresh_token as string), 400, 'invalid_grant');
    assert.equal((await userinfo(h, b.access_token as string)).status, 200);
    assert.equal((await refresh(h, b.refresh_token as string)).status, 200);
  });

  it("another client's refresh token → invalid_grant, and its owner can still use it", async () => {
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
    assertError(await refresh(h, spa.refresh_token), 400, 'invalid_grant');
    const own = await refresh(h, spa.refresh_token, { client_id: PUBLIC_CLIENT.clientId, client_secret: undefined });
    assert.equal(own.status, 200);

    const mine = await h.tokens();
    assertError(await refresh(h, mine.refresh_token as string, { client_id: PUBLIC_CLIENT.clientId, client_secret: undefined }), 400, 'invalid_grant');
  });

  const invalid: [string, string][] = [
    ['garbage', 'garbage'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'],
  ];
  for (const [name, value] of invalid) {
    it(`a ${name} refresh token → invalid_grant`, async () => {
      assertError(await refresh(h, value), 400, 'invalid_grant');
    });
  }

  it('a forged generation or MAC → invalid_grant, and the real one still works', async () => {
    const rt = (await h.tokens()).refresh_token as string;
    const [prefix, grant, gen, mac] = rt.split('.') as [string, string, string, string];
    assertError(await refresh(h, `${prefix}.${grant}.${Number(gen) + 1}.${mac}`), 400, 'invalid_grant');
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BA' : 'AA'}`;
    assertError(await refresh(h, `${prefix}.${grant}.${gen}.${flipped}`), 400, 'invalid_grant');
    assert.equal((await refresh(h, rt)).status, 200);
  });

  it('an access token as refresh_token → invalid_grant', async () => {
    const { access_token: at } = await h.tokens();
    assertError(await refresh(h, at as string), 400, 'invalid_grant');
  });

  it('refresh_token missing → invalid_request', async () => {
    assertError(await token(h, { grant_type: 'refresh_token', client_id: SEED.clientId, client_secret: SEED.secret }), 400, 'invalid_request');
  });

  it('expires after 14 days → invalid_grant', async () => {
    const rt = (await h.tokens()).refresh_token as string;
    h.clock.advance(14 * 24 * 3600 + 1);
    assertError(await refresh(h, rt), 400, 'invalid_grant');
  });

  describe('scope narrowing', () => {
    it('a subset is granted, with scope in the response; openid dropped → no id_token', async () => {
      const rt = (await h.tokens()).refresh_token as string;
      const res = await refresh(h, rt, { scope: 'profile' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.scope, 'profile');
      assert.equal(res.body.data.id_token, undefined);
      assert.equal(decodeJwt(res.body.data.access_token).payload.scope, 'profile');
      assertError(await userinfo(h, res.body.data.access_token), 403, 'insufficient_scope');
    });

    it('a subset keeping openid → id_token and a narrowed access token', async () => {
      const rt = (await h.tokens()).refresh_token as string;
      const res = await refresh(h, rt, { scope: 'openid email' });
      assert.equal(res.body.data.scope, 'openid email');
      assert.ok(res.body.data.id_token);
      const info = await userinfo(h, res.body.data.access_token);
      assert.deepEqual(info.body.data, { sub: 'alice', email: 'alice@example.com', email_verified: true, roles: ['admin', 'user'] });
    });

    it('narrowing applies to one refresh: the next may ask for the original scope again', async () => {
      const rt = (await h.tokens()).refresh_token as string;
      const narrowed = (await refresh(h, rt, { scope: 'openid' })).body.data;
      const again = await refresh(h, narrowed.refresh_token, { scope: 'openid profile email' });
      assert.equal(again.status, 200);
      assert.equal(again.body.data.scope, 'openid profile email');
    });

    it('a scope of only spaces → invalid_scope (it would narrow to nothing)', async () => {
      const rt = (await h.tokens()).refresh_token as string;
      assertError(await refresh(h, rt, { scope: '  ' }), 400, 'invalid_scope');
      assert.equal((await refresh(h, rt)).body.data.scope, 'openid profile email');
    });

    for (const scope of ['openid profile email admin', 'offline_access']) {
      it(`wider ("${scope}") → invalid_scope, and the refresh token is not consumed`, async () => {
        const rt = (await h.tokens({ scope: 'openid profile' })).refresh_token as string;
        assertError(await refresh(h, rt, { scope: scope === 'offline_access' ? scope : 'openid profile email' }), 400, 'invalid_scope');
        assert.equal((await refresh(h, rt)).status, 200);
      });
    }
  });

  describe('resource narrowing (RFC 8707 §2.2)', () => {
    it('a subset sets aud; a resource outside the grant → invalid_target', async () => {
      const rt = (await h.tokens({ resource: ['https://api.example.com', 'https://api.example.com/orders'] })).refresh_token as string;
      const res = await refresh(h, rt, { resource: 'https://api.example.com/orders' });
      assert.equal(res.status, 200);
      assert.equal(decodeJwt(res.body.data.access_token).payload.aud, 'https://api.example.com/orders');
      assertError(await refresh(h, res.body.data.refresh_token, { resource: 'https://evil.example.com' }), 400, 'invalid_target');
    });
  });
});
