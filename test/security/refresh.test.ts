// Refresh tokens (RFC 6749 §6; RFC 9700 §4.14.2): rotation on every use, reuse revokes the whole
// family, bound to the client, scope may only narrow, and anything forged or stale is invalid_grant.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, refresh, userinfoStatus } from '../http/helpers.js';

const OTHER = { id: 'other_client', secret: 'other-client-secret-0123456789abcdef' };

describe('security: refresh tokens', () => {
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

  const revokedAt = () => Object.values(h.store.read().grants)[0]?.revoked_at;

  it('rotates on every use: a new refresh token each time, the old one no longer works', async () => {
    const first = await h.tokens();
    const second = await refresh(h, first.refresh_token as string);
    assert.equal(second.status, 200);
    const rt2 = second.body.data.refresh_token as string;
    assert.notEqual(rt2, first.refresh_token);
    const third = await refresh(h, rt2);
    assert.equal(third.status, 200);
    assert.notEqual(third.body.data.refresh_token, rt2);
  });

  it('reuse of a rotated token → invalid_grant, and the whole family (refresh and access tokens) is revoked', async () => {
    const first = await h.tokens();
    const second = await refresh(h, first.refresh_token as string);
    const { refresh_token: current, access_token: access } = second.body.data as { access_token: string; refresh_token: string };
    assert.equal(await userinfoStatus(h, access), 200);

    assertError(await refresh(h, first.refresh_token as string), 400, 'invalid_grant');
    assert.equal(typeof revokedAt(), 'number');
    assertError(await refresh(h, current), 400, 'invalid_grant');
    assert.equal(await userinfoStatus(h, access), 401);
    assert.equal(await userinfoStatus(h, first.access_token as string), 401);
  });

  it('another client’s refresh token → invalid_grant, and the family is untouched', async () => {
    const { refresh_token: rt } = await h.tokens();
    assertError(await refresh(h, rt as string, { client_id: OTHER.id, client_secret: OTHER.secret }), 400, 'invalid_grant');
    assert.equal(revokedAt(), undefined);
    assert.equal((await refresh(h, rt as string)).status, 200);
  });

  it('a confidential client refreshing without its secret → invalid_client, nothing rotated', async () => {
    const { refresh_token: rt } = await h.tokens();
    assertError(await refresh(h, rt as string, { client_secret: undefined }), 400, 'invalid_client');
    assert.equal(Object.values(h.store.read().grants)[0]?.refresh_gen, 0);
  });

  it('scope may narrow (the response says so) but not widen', async () => {
    const { refresh_token: rt } = await h.tokens({ scope: 'openid profile' });
    assertError(await refresh(h, rt as string, { scope: 'openid profile email' }), 400, 'invalid_scope');
    assert.equal(Object.values(h.store.read().grants)[0]?.refresh_gen, 0);
    const narrowed = await refresh(h, rt as string, { scope: 'openid' });
    assert.equal(narrowed.status, 200);
    assert.equal(narrowed.body.data.scope, 'openid');
  });

  it('a resource outside the grant → invalid_target', async () => {
    const { refresh_token: rt } = await h.tokens({ resource: 'https://api.example.com' });
    assertError(await refresh(h, rt as string, { resource: 'https://api.example.com/orders' }), 400, 'invalid_target');
  });

  it('random, forged and future-generation tokens → invalid_grant', async () => {
    const { refresh_token: rt } = await h.tokens();
    const [prefix, grantId, gen, mac] = (rt as string).split('.') as [string, string, string, string];
    const forged = [
      randomUUID(),
      'x',
      `${prefix}.${grantId}.${gen}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${prefix}.${grantId}.${Number(gen) + 1}.${mac}`,
      `${prefix}.${'A'.repeat(grantId.length)}.${gen}.${mac}`,
      h.userToken(),
    ];
    for (const token of forged) assertError(await refresh(h, token), 400, 'invalid_grant');
    assert.equal(revokedAt(), undefined);
    assert.equal((await refresh(h, rt as string)).status, 200);
  });

  it('an expired refresh token → invalid_grant', async () => {
    const { refresh_token: rt } = await h.tokens();
    h.clock.advance(h.app.appContext.config.ttl.refreshToken);
    assertError(await refresh(h, rt as string), 400, 'invalid_grant');
  });

  it('a revoked refresh token → invalid_grant', async () => {
    const { refresh_token: rt } = await h.tokens();
    const res = await h.agent.post('/oauth/revoke').send({ token: rt, client_id: SEED.clientId, client_secret: SEED.secret });
    assert.equal(res.status, 200);
    assertError(await refresh(h, rt as string), 400, 'invalid_grant');
  });
});
