// oidc profile: the login page and its form (POST /oauth/login), the session cookie, --login auto.
import assert from 'node:assert/strict';
import { digestKey } from '../../src/core/random.js';
import { cookieHeader, getAuthorize, checked, hidden, oidcHarness, redirectParams, signIn, submitLogin, type Harness } from './login-harness.js';

describe('oidc login page', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await oidcHarness();
  });

  it('is served without a session: escaped, framed nowhere, with a CSRF cookie and the request to resume', async () => {
    const res = await getAuthorize(h);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(
      String(res.headers['content-security-policy']),
      /^default-src 'none'; style-src 'nonce-[\w-]+'; script-src 'none'; form-action 'self' https:\/\/app\.example; frame-ancestors 'none'; base-uri 'none'$/,
    );
    assert.ok(res.text.includes('<h1>Sign in to Web &lt;App&gt;</h1>'));
    const csrf = hidden(res, 'csrf');
    assert.deepEqual(res.headers['set-cookie'], [`oauth_mock_csrf=${csrf}; Path=/; HttpOnly; SameSite=Strict`]);
    for (const selector of ['name="username"', 'name="claims"', 'data-user="alice"', 'data-user="bob"', 'name="deny"'])
      assert.ok(res.text.includes(selector), selector);
  });

  it('a known user: 303 to the client with a code; a session cookie (HttpOnly, Lax, issuer path) and a session record', async () => {
    const page = await getAuthorize(h);
    const res = await submitLogin(h, page, { user: 'bob' });
    assert.equal(res.status, 303);
    const params = redirectParams(res);
    assert.deepEqual([params.state, params.iss], ['st&1', 'http://oauth.test']);
    const cookie = ((res.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('oauth_mock_session='));
    assert.match(cookie ?? '', /^oauth_mock_session=([\w-]{22})\.[\w-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    const sessions = JSON.parse(JSON.stringify(h.store.read().sessions)) as Record<string, Record<string, unknown>>;
    const [[sid, session] = []] = Object.entries(sessions);
    assert.ok(cookie?.startsWith(`oauth_mock_session=${sid}.`));
    assert.deepEqual(session, {
      user_id: 'bob',
      secret_digest: session?.secret_digest,
      auth_time: 1767225600,
      created_at: 1767225600,
      expires_at: 1767225600 + 28800,
    });
    assert.equal(h.store.read().codes[digestKey(params.code ?? '')]?.login?.sid, sid);
  });

  it('under an https issuer with a path, the cookie is Secure and scoped to that path', async () => {
    h = await oidcHarness({ issuer: 'https://idp.example/tenant-a' });
    const page = checked(
      h,
      'authorize',
      await h.agent.get(
        `/tenant-a/oauth/authorize?response_type=code&client_id=web&redirect_uri=https://app.example/cb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM`,
      ),
    );
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /action="\/tenant-a\/oauth\/login"/);
    const form = { csrf: hidden(page, 'csrf'), authorization_request: hidden(page, 'authorization_request'), user: 'alice' };
    const res = checked(h, 'login', await h.agent.post('/tenant-a/oauth/login').type('form').set('Cookie', cookieHeader(h)).send(form));
    assert.equal(res.status, 303, res.text);
    assert.match(String(res.headers['set-cookie']), /oauth_mock_session=[\w.-]+; Path=\/tenant-a; Max-Age=28800; HttpOnly; SameSite=Lax; Secure/);
  });

  it('a typed unknown username signs in an ad-hoc user with that sub (kept in the store)', async () => {
    const res = await submitLogin(h, await getAuthorize(h), { username: '  carol@example.test ', login: 'username' });
    assert.equal(res.status, 303);
    assert.deepEqual(JSON.parse(JSON.stringify(h.store.read().users['carol@example.test'])), { id: 'carol@example.test' });
    assert.equal(h.store.read().codes[digestKey(redirectParams(res).code ?? '')]?.user_id, 'carol@example.test');
  });

  it('extra claims typed for the sign-in are kept with the session and bound to the code', async () => {
    const res = await submitLogin(h, await getAuthorize(h), { user: 'alice', claims: '{"acr":"urn:mfa","roles":["x"]}' });
    const record = h.store.read().codes[digestKey(redirectParams(res).code ?? '')];
    assert.deepEqual(JSON.parse(JSON.stringify(record?.login)), { sid: record?.login?.sid, acr: 'urn:mfa', claims: { roles: ['x'] } });
    // A later silent sign-in in the same session carries them too.
    const again = await getAuthorize(h);
    const later = h.store.read().codes[digestKey(redirectParams(again).code ?? '')]?.login;
    assert.deepEqual(JSON.parse(JSON.stringify(later)), { sid: record?.login?.sid, acr: 'urn:mfa', claims: { roles: ['x'] } });
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['invalid JSON in claims', { user: 'alice', claims: '{"acr":' }, /Extra claims are not valid JSON: /],
    ['a server claim in claims', { user: 'alice', claims: '{"sub":"mallory"}' }, /Extra claims may not set sub: the server sets it/],
    ['an empty username', { username: '   ', login: 'username' }, /Type a username, or pick a known user\./],
    ['a user removed meanwhile', { user: 'zed' }, /There is no user &quot;zed&quot; any more\./],
  ];
  for (const [name, fields, message] of refusals) {
    it(`${name} → the page again (400) with the error and what was typed; no session`, async () => {
      const res = await submitLogin(h, await getAuthorize(h), fields);
      assert.equal(res.status, 400);
      assert.match(res.text, /<p class="error" role="alert">/);
      assert.match(res.text, message);
      if (fields.claims !== undefined) assert.ok(res.text.includes(`>${fields.claims.replace(/"/g, '&quot;')}</textarea>`));
      assert.deepEqual(Object.keys(h.store.read().sessions), []);
    });
  }

  it('without the CSRF cookie (a form posted from another site) → the page again, nobody signed in', async () => {
    const page = await getAuthorize(h);
    h.jar.delete('oauth_mock_csrf');
    const res = await submitLogin(h, page, { user: 'alice' });
    assert.equal(res.status, 400);
    assert.match(res.text, /This sign-in form has expired or was sent from another site/);
    assert.deepEqual(Object.keys(h.store.read().sessions), []);
  });

  it('Deny → access_denied at the client, with state and iss', async () => {
    const res = await submitLogin(h, await getAuthorize(h), { deny: 'deny' });
    assert.equal(res.status, 303);
    assert.deepEqual(redirectParams(res), {
      error: 'access_denied',
      error_description: 'the end user denied the request on the login page',
      state: 'st&1',
      iss: 'http://oauth.test',
    });
  });

  it('the carried request is validated again: a tampered redirect_uri gets the error page', async () => {
    const page = await getAuthorize(h);
    const form = {
      csrf: hidden(page, 'csrf'),
      authorization_request: hidden(page, 'authorization_request').replace('app.example', 'evil.example'),
      user: 'alice',
    };
    const res = checked(h, 'login', await h.agent.post('/oauth/login').type('form').set('Cookie', cookieHeader(h)).send(form));
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(res.text, /<code>invalid_request<\/code>: redirect_uri is not registered for client web/);
  });

  it("a new sign-in replaces the browser's session (a fresh sid)", async () => {
    await signIn(h, 'alice');
    const [first] = Object.keys(h.store.read().sessions);
    await signIn(h, 'bob', { prompt: 'login' });
    const sids = Object.keys(h.store.read().sessions);
    assert.equal(sids.length, 1);
    assert.notEqual(sids[0], first);
    assert.equal(h.store.read().sessions[sids[0] ?? '']?.user_id, 'bob');
  });

  it('form_post after the login page: the code travels in a form', async () => {
    const res = await submitLogin(h, await getAuthorize(h, { response_mode: 'form_post' }), { user: 'alice' });
    assert.equal(res.status, 200);
    assert.match(hidden(res, 'code'), /^[\w-]{43}$/);
  });
});

describe('--login auto', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await oidcHarness({ login: 'auto' });
  });
  const userOf = (h: Harness, res: { headers: Record<string, unknown> }) => h.store.read().codes[digestKey(redirectParams(res as never).code ?? '')]?.user_id;

  it('signs in the first user without a page, and keeps a session', async () => {
    const res = await getAuthorize(h);
    assert.equal(res.status, 302);
    assert.equal(userOf(h, res), 'alice');
    assert.equal(Object.keys(h.store.read().sessions).length, 1);
    assert.match(cookieHeader(h), /oauth_mock_session=/);
  });

  it('signs in the login_hint user, known or ad hoc', async () => {
    assert.equal(userOf(h, await getAuthorize(h, { login_hint: 'bob' })), 'bob');
    h.jar.clear();
    assert.equal(userOf(h, await getAuthorize(h, { login_hint: 'dave' })), 'dave');
  });

  it('prompt=none without a session is still login_required', async () => {
    assert.equal(redirectParams(await getAuthorize(h, { prompt: 'none' })).error, 'login_required');
  });
});
