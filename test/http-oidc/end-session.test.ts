// oidc profile: end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0).
import assert from 'node:assert/strict';
import { cookieHeader, checked, hidden, oidcHarness, signIn, spec, type Harness } from './login-harness.js';

describe('oidc end_session_endpoint', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await oidcHarness();
  });
  const logout = async (query: Record<string, string>) =>
    checked(h, 'endSession', await h.agent.get(`/oauth/logout?${new URLSearchParams(query).toString()}`).set('Cookie', cookieHeader(h)));
  const sessions = () => Object.keys(h.store.read().sessions);

  it('a valid id_token_hint and a registered post_logout_redirect_uri: session ended, cookie cleared, redirect with state', async () => {
    await signIn(h, 'alice');
    const [sid] = sessions();
    const res = await logout({ id_token_hint: h.idToken('alice', { sid }), post_logout_redirect_uri: 'https://app.example/bye', state: 's t&x' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, 'https://app.example/bye?state=s%20t%26x');
    assert.deepEqual(sessions(), []);
    assert.ok((res.headers['set-cookie'] as unknown as string[]).includes('oauth_mock_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax'));
    assert.equal(h.jar.has('oauth_mock_session'), false);
  });

  it("under HS256, a hint keyed with the client's secret (OIDC Core §10.1) verifies, as does one keyed with the server's (tokens mint --kind id)", async () => {
    h = await oidcHarness({ alg: 'HS256' });
    await signIn(h, 'alice');
    const hint = h.idToken('alice');
    const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: 'https://app.example/bye' });
    assert.equal(res.headers.location, 'https://app.example/bye');
    assert.deepEqual(sessions(), []);
    await signIn(h, 'alice');
    const serverKeyed = await logout({ id_token_hint: h.idToken('alice', { serverKey: true }) });
    assert.equal(serverKeyed.status, 200);
    assert.deepEqual(sessions(), []);
  });

  it('an expired hint is fine', async () => {
    await signIn(h, 'alice');
    const hint = h.idToken('alice', { ttl: 60 });
    h.clock.advance(3600);
    const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: 'https://app.example/bye' });
    assert.equal(res.headers.location, 'https://app.example/bye');
    assert.deepEqual(sessions(), []);
  });

  it("the session named by the hint's sid ends even if this browser no longer holds it", async () => {
    await signIn(h, 'alice');
    const [sid] = sessions();
    h.jar.clear();
    await logout({ id_token_hint: h.idToken('alice', { sid }) });
    assert.deepEqual(sessions(), []);
  });

  const notRedirected: Array<[string, Record<string, string>, string]> = [
    [
      'an unregistered post_logout_redirect_uri',
      { post_logout_redirect_uri: 'https://evil.example/bye' },
      'post_logout_redirect_uri https://evil.example/bye is not registered for client web (registered: https://app.example/bye).',
    ],
    [
      'a registered one with a different query',
      { post_logout_redirect_uri: 'https://app.example/bye?x=1' },
      'post_logout_redirect_uri https://app.example/bye?x=1 is not registered for client web (registered: https://app.example/bye).',
    ],
  ];
  for (const [name, query, why] of notRedirected) {
    it(`${name}: logged out, but a page instead of a redirect`, async () => {
      await signIn(h, 'alice');
      const res = await logout({ id_token_hint: h.idToken('alice'), ...query });
      assert.equal(res.status, 200);
      assert.equal(res.headers.location, undefined);
      assert.ok(res.text.includes(`Not sent back to the application: ${why}`), res.text);
      assert.deepEqual(sessions(), []);
    });
  }

  const refused: Array<[string, () => Record<string, string>, string]> = [
    ['a hint that is not a JWT', () => ({ id_token_hint: 'x' }), 'id_token_hint is not a JWT'],
    [
      'a typ JWT hint over a payload that is not JSON',
      () => ({ id_token_hint: `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.c2ln` }),
      'id_token_hint is not a JWT',
    ],
    ['a user token as hint', () => ({ id_token_hint: h.userToken('alice') }), 'id_token_hint is not an ID token from this server'],
    [
      "a client_id other than the hint's",
      () => ({ id_token_hint: h.idToken('alice'), client_id: 'client_123' }),
      'client_id client_123 is not the client the id_token_hint was issued to (web)',
    ],
    ['an unknown client_id', () => ({ client_id: 'nope' }), 'unknown client_id &quot;nope&quot;'],
  ];
  for (const [name, query, why] of refused) {
    it(`${name} → 400 page; still signed in`, async () => {
      await signIn(h, 'alice');
      const res = await logout(query());
      assert.equal(res.status, 400);
      assert.equal(res.headers.location, undefined);
      assert.ok(res.text.includes(`<p class="error" role="alert">${why}</p>`), res.text);
      assert.equal(sessions().length, 1);
    });
  }

  it('a forged hint (another key) → 400 page', async () => {
    const other = await oidcHarness();
    const res = await logout({ id_token_hint: other.idToken('alice') });
    assert.equal(res.status, 400);
    assert.match(res.text, /id_token_hint does not verify with this server&#39;s keys/);
  });

  it('without a hint: a confirmation page first; confirming (with its CSRF token) logs out and redirects', async () => {
    await signIn(h, 'alice');
    const page = await logout({ client_id: 'web', post_logout_redirect_uri: 'https://app.example/bye', state: 'k' });
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Sign out of oauth-mock\?<\/h1>/);
    assert.equal(sessions().length, 1);
    const form = {
      csrf: hidden(page, 'csrf'),
      client_id: hidden(page, 'client_id'),
      post_logout_redirect_uri: hidden(page, 'post_logout_redirect_uri'),
      state: hidden(page, 'state'),
      confirm: 'yes',
    };
    // Another site's browser tab: no cookies go, and none it gets back are this browser's.
    const forged = spec('endSessionPost', await h.agent.post('/oauth/logout').type('form').send(form));
    assert.equal(forged.status, 200, 'without the CSRF cookie: asked again');
    assert.match(forged.text, /Sign out of oauth-mock\?/);
    assert.equal(sessions().length, 1);
    const res = checked(h, 'endSessionPost', await h.agent.post('/oauth/logout').type('form').set('Cookie', cookieHeader(h)).send(form));
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, 'https://app.example/bye?state=k');
    assert.deepEqual(sessions(), []);
  });

  it('without a hint or client_id, a post_logout_redirect_uri is never followed', async () => {
    await signIn(h, 'alice');
    const page = await logout({ post_logout_redirect_uri: 'https://app.example/bye' });
    const res = checked(
      h,
      'endSessionPost',
      await h.agent
        .post('/oauth/logout')
        .type('form')
        .set('Cookie', cookieHeader(h))
        .send({ csrf: hidden(page, 'csrf'), post_logout_redirect_uri: 'https://app.example/bye', confirm: 'yes' }),
    );
    assert.equal(res.status, 200);
    assert.match(res.text, /needs an id_token_hint or a client_id/);
    assert.deepEqual(sessions(), []);
  });

  it('after logout, prompt=none → login_required', async () => {
    await signIn(h, 'alice');
    await logout({ id_token_hint: h.idToken('alice') });
    const res = checked(
      h,
      'authorize',
      await h.agent
        .get(
          '/oauth/authorize?response_type=code&client_id=web&redirect_uri=https://app.example/cb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&prompt=none',
        )
        .set('Cookie', cookieHeader(h)),
    );
    assert.match(String(res.headers.location), /error=login_required/);
  });
});
