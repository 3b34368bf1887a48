// Authorization codes (RFC 6749 §4.1.2, §4.1.3, §10.5): single use, short-lived, bound to the
// client and redirect_uri; a replay revokes what the first redemption issued.
import assert from 'node:assert/strict';
import { bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, grantCount, redeem, spec, userinfoStatus } from '../http/helpers.js';

const OTHER = { id: 'other_client', secret: 'other-client-secret-0123456789abcdef' };

describe('security: authorization codes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
    await h.store.update((tx) =>
      tx.put('clients', OTHER.id, {
        id: OTHER.id,
        secret: OTHER.secret,
        public: false,
        redirect_uris: [SEED.redirectUri],
        scopes: ['openid', 'profile', 'email'],
      }),
    );
  });

  it('a replayed code → invalid_grant, and the tokens of the first redemption are revoked', async () => {
    const code = await h.code();
    const first = await redeem(h, code);
    assert.equal(first.status, 200);
    const { access_token: access, refresh_token: refresh } = first.body.data as { access_token: string; refresh_token: string };
    assert.equal(await userinfoStatus(h, access), 200);

    const replay = await redeem(h, code);
    assertError(replay, 400, 'invalid_grant');
    assert.equal(await userinfoStatus(h, access), 401);
    const refreshed = await h.agent.post('/oauth/token').send({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: SEED.clientId,
      client_secret: SEED.secret,
    });
    assertError(spec('token', refreshed), 400, 'invalid_grant');
    assert.equal(grantCount(h), 1);
  });

  it('a code is valid until its TTL and refused once it has passed (injectable clock)', async () => {
    const ttl = h.app.appContext.config.ttl.code;
    const late = await h.code();
    const onTime = await h.code();
    h.clock.advance(ttl - 1);
    assert.equal((await redeem(h, onTime)).status, 200);
    h.clock.advance(1);
    assertError(await redeem(h, late), 400, 'invalid_grant');
    assert.equal(grantCount(h), 1);
  });

  it('a code issued to another client → invalid_grant, and the rightful client can still redeem it', async () => {
    const code = await h.code();
    const res = await redeem(h, code, { client_id: OTHER.id, client_secret: OTHER.secret });
    assertError(res, 400, 'invalid_grant');
    assert.equal(grantCount(h), 0);
    assert.equal((await redeem(h, code)).status, 200);
  });

  for (const [name, redirectUri] of [
    ['omitted', undefined],
    ['with a trailing slash', `${SEED.redirectUri}/`],
    ['another registered URI', 'http://localhost:3000/callback'],
    ['empty', ''],
  ] as const) {
    it(`redirect_uri ${name} at the token endpoint → invalid_grant, no grant`, async () => {
      const code = await h.code();
      const res = await redeem(h, code, { redirect_uri: redirectUri });
      assertError(res, 400, 'invalid_grant');
      assert.equal(grantCount(h), 0);
    });
  }

  for (const [name, code] of [
    ['unknown', 'x'.repeat(43)],
    ['a JWT-looking string', 'a.b.c'],
    ['very long', 'c'.repeat(10_000)],
  ] as const) {
    it(`an ${name} code → invalid_grant`, async () => {
      assertError(await redeem(h, code), 400, 'invalid_grant');
      assert.equal(grantCount(h), 0);
    });
  }

  it('of 20 parallel redemptions exactly one is 200; the rest, replays, revoke its tokens', async () => {
    const code = await h.code();
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(h, code)));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1);
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'invalid_grant');
    assert.equal(grantCount(h), 1);
    const grant = Object.values(h.store.read().grants)[0];
    assert.equal(typeof grant?.revoked_at, 'number');
    assert.equal(await userinfoStatus(h, (ok[0]?.body.data as Record<string, string>).access_token as string), 401);
  });
});
