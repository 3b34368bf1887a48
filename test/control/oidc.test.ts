// Test control on the oidc profile: session age (max_age) follows the clock, faults at the
// oidc-only endpoints answer in its error format, and a queued login skips the login page.
import assert from 'node:assert/strict';
import supertest from 'supertest';
import { appConfig, createApp, createSeededStore, startOAuthMock } from '../../src/index.js';
import { createControls } from '../../src/control/controls.js';
import { WEB, getAuthorize, redirectParams, signIn, type Harness } from '../http-oidc/login-harness.js';
import { claimsOf } from '../interop/helpers.js';

async function controlledHarness() {
  const controls = createControls({ alg: 'RS256' });
  const store = await createSeededStore({ alg: 'RS256', clock: controls.clock });
  await store.update((tx) => tx.put('clients', WEB.id, WEB));
  const config = { ...appConfig({ issuer: 'http://oauth.test', profile: 'oidc', alg: 'RS256' }), login: 'page' as const };
  const app = createApp({ store, config, controls });
  const h: Harness = {
    agent: supertest(app.callback()),
    store,
    jar: new Map(),
    clock: { now: () => controls.clock.now(), advance: (seconds) => controls.clock.advance(seconds * 1000) },
    userToken: () => assert.fail('not used'),
    idToken: () => assert.fail('not used'),
  };
  return { h, controls };
}

describe('control on the oidc profile', () => {
  it('session age (max_age) follows the control clock', async () => {
    const { h, controls } = await controlledHarness();
    await signIn(h, 'alice');
    controls.clock.advance('59s');
    assert.equal((await getAuthorize(h, { max_age: '60' })).status, 302);
    controls.clock.advance('2s');
    assert.equal((await getAuthorize(h, { max_age: '60' })).status, 200, 'the login page again');
    assert.equal(redirectParams(await getAuthorize(h, { max_age: '60', prompt: 'none' })).error, 'login_required');
  });

  it('a queued login is a real sign-in: no login page, a session (sid), acr and amr in the ID token', async () => {
    const { h, controls } = await controlledHarness();
    controls.nextLogin({ user: 'bob', claims: { acr: 'urn:mfa', amr: ['otp'], tenant: 'acme' } });
    const res = await getAuthorize(h);
    assert.equal(res.status, 302, res.text);
    const { code } = redirectParams(res);
    const token = await h.agent
      .post('/oauth/token')
      .type('form')
      .auth(WEB.id, WEB.secret as string)
      .send({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.example/cb',
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      });
    assert.equal(token.status, 200, token.text);
    const id = claimsOf(token.body.id_token as string);
    assert.deepEqual([id.sub, id.acr, id.amr, id.tenant], ['bob', 'urn:mfa', ['otp'], 'acme']);
    const [sid] = Object.keys(h.store.read().sessions);
    assert.equal(id.sid, sid, 'the ID token names the session the login made');
    // The browser is now signed in as bob: the next request is answered silently from the session.
    const again = await getAuthorize(h, { prompt: 'none' });
    assert.equal(again.status, 302);
    assert.ok(redirectParams(again).code);
    assert.deepEqual(controls.status().logins, []);
  });

  describe('faults in the oidc error format', () => {
    it('token, introspection and end_session', async () => {
      const mock = await startOAuthMock({ profile: 'oidc' });
      try {
        mock.fail('token', { error: 'invalid_grant', message: 'the code was eaten' });
        const token = await fetch(`${mock.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
        });
        assert.equal(token.status, 400);
        assert.deepEqual(await token.json(), { error: 'invalid_grant', error_description: 'the code was eaten' });
        mock.fail('introspection', { status: 503, retryAfter: 5 });
        const introspect = await fetch(`${mock.url}/oauth/introspect`, { method: 'POST', body: new URLSearchParams({ token: 'x' }) });
        assert.equal(introspect.status, 503);
        assert.equal(introspect.headers.get('retry-after'), '5');
        assert.deepEqual(await introspect.json(), { error: 'temporarily_unavailable', error_description: 'fault injected at introspection by test control' });
        mock.fail('end_session', { status: 500 });
        const logout = await fetch(`${mock.url}/oauth/logout`, { redirect: 'manual' });
        assert.equal(logout.status, 500);
        assert.deepEqual(await logout.json(), { error: 'server_error', error_description: 'fault injected at end_session by test control' });
        mock.fail('discovery', { status: 503, times: 2 });
        assert.equal((await fetch(mock.discoveryUrl)).status, 503);
        assert.equal((await fetch(`${mock.url}/.well-known/oauth-authorization-server`)).status, 503, 'RFC 8414 metadata is discovery too');
        assert.deepEqual(mock.faults(), []);
      } finally {
        await mock.stop();
      }
    });
  });
});
