// oidc profile, authorize: response modes, iss, the login decision, request objects refused,
// and the HTML page for errors before the client is trusted.
import assert from 'node:assert/strict';
import { digestKey } from '../../src/core/random.js';
import { authorizeQuery, getAuthorize, hidden, checked, oidcHarness, redirectParams, signIn, type Harness } from './login-harness.js';

const codeRecord = (h: Harness, code: string | undefined) =>
  JSON.parse(JSON.stringify(h.store.read().codes[digestKey(code ?? '')] ?? null)) as Record<string, unknown> | null;

describe('oidc authorize', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await oidcHarness();
  });

  describe('before client_id and redirect_uri are trusted', () => {
    const cases: Array<[string, Record<string, string | undefined>, number, string]> = [
      ['no client_id', { client_id: undefined }, 400, '<code>invalid_client</code>: client_id is required'],
      ['unknown client', { client_id: 'nope' }, 400, '<code>invalid_client</code>: unknown client_id &quot;nope&quot;'],
      [
        'unregistered redirect_uri',
        { redirect_uri: 'https://evil.example/cb' },
        400,
        '<code>invalid_request</code>: redirect_uri is not registered for client web',
      ],
      ['no redirect_uri', { redirect_uri: undefined }, 400, '<code>invalid_request</code>: redirect_uri is required'],
    ];
    for (const [name, extra, status, text] of cases) {
      it(`${name} → an HTML error page, never a redirect`, async () => {
        const res = await getAuthorize(h, extra);
        assert.equal(res.status, status);
        assert.equal(res.headers.location, undefined);
        assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        assert.ok(res.text.includes(text), res.text);
      });
    }

    it('malformed percent-encoding → the page too', async () => {
      const res = checked(h, 'authorize', await h.agent.get('/oauth/authorize?client_id=%E0%A4%A'));
      assert.equal(res.status, 400);
      assert.match(res.text, /<code>invalid_request<\/code>: the query string holds malformed percent-encoding/);
    });
  });

  describe('errors once the client is trusted are redirected, with state and iss (RFC 9207)', () => {
    const cases: Array<[string, Record<string, string | undefined>, string, string]> = [
      ['request', { request: 'eyJ.x.y' }, 'request_not_supported', 'request objects (the request parameter) are not supported; send the parameters themselves'],
      ['request_uri', { request_uri: 'urn:x' }, 'request_uri_not_supported', 'request_uri is not supported; send the parameters themselves'],
      [
        'prompt=none, no session',
        { prompt: 'none' },
        'login_required',
        'prompt=none, and the end user is not signed in; send the user to authorize without prompt=none',
      ],
      ['prompt=none login', { prompt: 'none login' }, 'invalid_request', 'prompt=none cannot be combined with other prompt values'],
      ['max_age=abc', { max_age: 'abc' }, 'invalid_request', 'max_age must be a non-negative integer number of seconds'],
      ['response_mode=jwt', { response_mode: 'jwt' }, 'invalid_request', 'response_mode must be one of query, fragment, form_post'],
      ['a bad id_token_hint', { id_token_hint: 'not-a-jwt' }, 'invalid_request', 'id_token_hint is not a JWT'],
    ];
    for (const [name, extra, error, description] of cases) {
      it(`${name} → ${error}`, async () => {
        const res = await getAuthorize(h, extra);
        assert.equal(res.status, 302);
        assert.ok(String(res.headers.location).startsWith('https://app.example/cb?'));
        assert.deepEqual(redirectParams(res), { error, error_description: description, state: 'st&1', iss: 'http://oauth.test' });
      });
    }
  });

  it('display, ui_locales, claims_locales, acr_values, login_hint and unknown parameters are accepted', async () => {
    const res = await getAuthorize(h, {
      display: 'popup',
      ui_locales: 'fr-CA fr',
      claims_locales: 'de',
      acr_values: 'urn:mfa',
      login_hint: 'bob',
      extra: 'foobar',
    });
    assert.equal(res.status, 200);
    assert.match(res.text, /data-user="bob" autofocus>/);
  });

  it('POST with a form body is the same request as GET (OIDC Core §3.1.2.1)', async () => {
    const res = checked(h, 'authorizePost', await h.agent.post('/oauth/authorize').type('form').send(authorizeQuery()));
    assert.equal(res.status, 200);
    assert.equal(hidden(res, 'authorization_request'), authorizeQuery());
    const bad = checked(h, 'authorizePost', await h.agent.post('/oauth/authorize').type('json').send({ client_id: 'web' }));
    assert.equal(bad.status, 400);
    assert.match(bad.text, /<code>invalid_request<\/code>: this endpoint accepts application\/x-www-form-urlencoded request bodies only/);
  });

  describe('with a session', () => {
    it('issues a code silently, bound to the session (sid) and the nonce; iss and state come back', async () => {
      const login = await signIn(h, 'alice');
      const sid = Object.keys(h.store.read().sessions)[0];
      assert.deepEqual(codeRecord(h, redirectParams(login).code)?.login, { sid });
      const res = await getAuthorize(h, { nonce: 'n-2' });
      assert.equal(res.status, 302);
      const params = redirectParams(res);
      assert.deepEqual(Object.keys(params), ['code', 'state', 'iss']);
      assert.deepEqual([params.state, params.iss], ['st&1', 'http://oauth.test']);
      const record = codeRecord(h, params.code);
      assert.deepEqual(
        [record?.user_id, record?.nonce, record?.login, record?.auth_time],
        ['alice', 'n-2', { sid }, h.store.read().sessions[sid ?? '']?.auth_time],
      );
    });

    it('no nonce sent → none in the code record', async () => {
      await signIn(h, 'alice');
      const res = await getAuthorize(h, { nonce: undefined });
      assert.equal(codeRecord(h, redirectParams(res).code)?.nonce, undefined);
    });

    it('prompt=none succeeds silently', async () => {
      await signIn(h, 'alice');
      const res = await getAuthorize(h, { prompt: 'none' });
      assert.equal(res.status, 302);
      assert.equal(codeRecord(h, redirectParams(res).code)?.user_id, 'alice');
    });

    const pages: Array<[string, Record<string, string>, string]> = [
      ['prompt=login', { prompt: 'login' }, 'The application asks you to sign in again (prompt=login).'],
      ['prompt=consent', { prompt: 'consent' }, 'The application asks you to confirm this sign-in (prompt=consent).'],
      ['prompt=select_account', { prompt: 'select_account' }, 'The application asks you to choose an account (prompt=select_account).'],
      ['max_age=0', { max_age: '0' }, 'Your last sign-in is older than the application allows (max_age).'],
    ];
    for (const [name, extra, reason] of pages) {
      it(`${name} shows the login page again, saying why`, async () => {
        await signIn(h, 'alice');
        const res = await getAuthorize(h, extra);
        assert.equal(res.status, 200);
        assert.ok(res.text.includes(reason), res.text);
      });
    }

    it('max_age: silent until it has passed, then the page (or login_required under prompt=none)', async () => {
      await signIn(h, 'alice');
      h.clock.advance(60);
      assert.equal((await getAuthorize(h, { max_age: '60' })).status, 302);
      h.clock.advance(1);
      assert.equal((await getAuthorize(h, { max_age: '60' })).status, 200);
      const none = await getAuthorize(h, { max_age: '60', prompt: 'none' });
      assert.equal(redirectParams(none).error, 'login_required');
    });

    it('a forged or expired session cookie is no session', async () => {
      await signIn(h, 'alice');
      const [sid] = Object.keys(h.store.read().sessions);
      h.jar.set('oauth_mock_session', `${sid}.forged`);
      assert.equal(redirectParams(await getAuthorize(h, { prompt: 'none' })).error, 'login_required');
      await signIn(h, 'alice');
      h.clock.advance(8 * 3600);
      assert.equal(redirectParams(await getAuthorize(h, { prompt: 'none' })).error, 'login_required');
    });
  });

  describe('response_mode', () => {
    it('fragment puts the response in the fragment', async () => {
      await signIn(h, 'alice');
      const res = await getAuthorize(h, { response_mode: 'fragment' });
      assert.equal(res.status, 302);
      assert.match(String(res.headers.location), /^https:\/\/app\.example\/cb#code=[\w-]{43}&state=st%261&iss=http%3A%2F%2Foauth\.test$/);
    });

    it('a registered redirect_uri keeps its own query', async () => {
      await signIn(h, 'alice');
      const res = await getAuthorize(h, { redirect_uri: 'https://app.example/cb?tenant=a' });
      assert.match(String(res.headers.location), /^https:\/\/app\.example\/cb\?tenant=a&code=/);
    });

    it('form_post answers an auto-submitting page that posts to the redirect_uri', async () => {
      await signIn(h, 'alice');
      const res = await getAuthorize(h, { response_mode: 'form_post' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.location, undefined);
      assert.match(res.text, /<form method="post" action="https:\/\/app.example\/cb">/);
      assert.match(hidden(res, 'code'), /^[\w-]{43}$/);
      assert.deepEqual([hidden(res, 'state'), hidden(res, 'iss')], ['st&1', 'http://oauth.test']);
      assert.match(String(res.headers['content-security-policy']), /form-action 'self' https:\/\/app\.example;/);
    });

    it('form_post carries errors too', async () => {
      const res = await getAuthorize(h, { response_mode: 'form_post', prompt: 'none' });
      assert.equal(res.status, 200);
      assert.equal(hidden(res, 'error'), 'login_required');
      assert.equal(hidden(res, 'state'), 'st&1');
    });
  });

  it('a bearer user token still signs in silently, as in spec; a bad one is 401 invalid_token', async () => {
    const res = await getAuthorize(h, {}, { Authorization: `Bearer ${h.userToken('bob')}` });
    assert.equal(res.status, 302);
    assert.equal(codeRecord(h, redirectParams(res).code)?.user_id, 'bob');
    assert.equal(h.jar.size, 0, 'no session, no cookie');
    const bad = await getAuthorize(h, {}, { Authorization: 'Bearer not-a-token' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'invalid_token');
  });
});
