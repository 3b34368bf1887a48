import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock, type User } from '../../src/index.js';
import { parseDuration } from '../../src/control/clock.js';
import { createControls } from '../../src/control/controls.js';
import { listen } from '../../src/server.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { codeExchange, decodeJwt, SEED } from '../helpers/bootstrap.js';
import { codeFlow, getJson, mockCode, postJson } from '../http/helpers.js';

const refresh = (mock: OAuthMock, token: string) =>
  postJson(mock, '/oauth/token', 'token', {
    grant_type: 'refresh_token',
    refresh_token: token,
    client_id: SEED.clientId,
    client_secret: SEED.secret,
  });

describe('control: the clock', () => {
  let mock: OAuthMock;
  beforeEach(async () => {
    mock = await startOAuthMock({ ttl: { accessToken: 600, refreshToken: 3600 } });
  });
  afterEach(() => mock.stop());

  it('access token expiry, refresh, refresh expiry: all follow the clock, with no waiting', async () => {
    const tokens = await codeFlow(mock);
    assert.equal((await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${tokens.access_token}` })).status, 200);
    mock.clock.advance('11m');
    const expired = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${tokens.access_token}` });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { success: false, error: { code: 'invalid_token', message: 'the token has expired' } });

    const refreshed = await refresh(mock, tokens.refresh_token as string);
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const data = refreshed.body.data as Record<string, string>;
    // The new tokens are stamped with the moved clock.
    const iat = decodeJwt(data.access_token as string).payload.iat as number;
    assert.ok(Math.abs(iat - (Date.now() / 1000 + 660)) < 30, `iat ${iat} is 11 minutes ahead`);
    assert.equal(decodeJwt(data.id_token as string).payload.iat, iat);

    mock.clock.advance('61m');
    const late = await refresh(mock, data.refresh_token as string);
    assert.equal(late.status, 400);
    assert.deepEqual(late.body, { success: false, error: { code: 'invalid_grant', message: 'the refresh token has expired' } });
  });

  it('codes expire by the clock', async () => {
    const code = await mockCode(mock);
    mock.clock.advance(61_000);
    const res = await postJson(mock, '/oauth/token', 'token', codeExchange(code));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { success: false, error: { code: 'invalid_grant', message: 'the authorization code is invalid or has expired' } });
  });

  it('set jumps (also back), reset returns to real time; advance never goes back', async () => {
    mock.clock.set('2030-01-01T00:00:00Z');
    const tokens = await codeFlow(mock);
    assert.equal(decodeJwt(tokens.access_token as string).payload.iat, Date.UTC(2030, 0, 1) / 1000);
    assert.equal(decodeJwt(tokens.id_token as string).payload.auth_time, Date.UTC(2030, 0, 1) / 1000);
    assert.throws(() => mock.clock.advance(-1000), RangeError);
    assert.throws(() => mock.clock.advance('-1h'), /cannot read duration/);
    mock.clock.reset();
    assert.ok(Math.abs(mock.clock.now().getTime() - Date.now()) < 1000);
    // Only set moves time back.
    mock.clock.set('2020-01-01T00:00:00Z');
    assert.equal(mock.clock.now().getUTCFullYear(), 2020);
  });

  it('mock.reset() puts the clock back, and what was issued ahead of it does not survive', async () => {
    mock.clock.advance('2d');
    const { access_token: ahead } = await codeFlow(mock);
    await mock.reset();
    assert.equal(mock.controlStatus().clock.offsetMs, 0);
    const res = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${ahead}` });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, {
      success: false,
      error: { code: 'invalid_token', message: "the token was issued in the future by this server's clock (iat); was its clock reset or set back since?" },
    });
    const { access_token: now } = await codeFlow(mock);
    assert.equal((await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${now}` })).status, 200);
  });

  it('reads durations', () => {
    assert.equal(parseDuration('90m'), 5_400_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1500'), 1500);
    assert.throws(() => parseDuration('soon'), /cannot read duration "soon"/);
  });
});

describe('control: pruning follows the clock', () => {
  it('a code and a grant are pruned once the moved clock passes their expiry', async () => {
    const store = createMemoryStore(loadFixtures());
    const controls = createControls();
    const server = await listen({ store, port: 0, host: '127.0.0.1', controls, pruneEveryMs: 20 });
    try {
      const res = await fetch(
        `${server.url}/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: SEED.clientId,
          redirect_uri: SEED.redirectUri,
          scope: 'openid',
          state: 's',
          code_challenge: SEED.challenge,
          code_challenge_method: 'S256',
        })}`,
        {
          headers: { authorization: `Bearer ${server.app.appContext.tokens.mintUser(store.read(), store.read().users.alice as User, { ttl: 600 }).token}` },
          redirect: 'manual',
        },
      );
      assert.equal(res.status, 302);
      assert.equal(Object.keys(store.read().codes).length, 1);
      // Nothing expired yet: the timer keeps running and the code stays.
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(Object.keys(store.read().codes).length, 1);
      controls.clock.advance('2m');
      for (let i = 0; i < 200 && Object.keys(store.read().codes).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(Object.keys(store.read().codes).length, 0);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
