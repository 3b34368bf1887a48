import assert from 'node:assert/strict';
import Koa from 'koa';
import supertest from 'supertest';
import { errorPage } from '../../../src/http/pages/error-page.js';
import { formPostPage } from '../../../src/http/pages/form-post-page.js';
import { loginPage, type LoginPageInput } from '../../../src/http/pages/login-page.js';
import { loggedOutPage, logoutConfirmPage } from '../../../src/http/pages/logout-pages.js';
import { contentSecurityPolicy, cspSource, renderPage, sendPage, type Page } from '../../../src/http/pages/page.js';

const HOSTILE = `"><img src=x onerror=alert(1)>'`;

const login = (over: Partial<LoginPageInput> = {}): LoginPageInput => ({
  action: '/oauth/authorize/login',
  csrf: 'csrf-token-123',
  request: 'client_id=web&state=a%26b',
  client: { id: 'web', name: 'Web App' },
  scope: ['openid', 'profile'],
  redirectUri: 'http://127.0.0.1:4000/callback',
  users: [{ id: 'alice', name: 'Alice Liddell', email: 'alice@example.com' }, { id: 'bob' }],
  ...over,
});

async function serve(page: Page) {
  const app = new Koa();
  app.use((ctx) => sendPage(ctx, page));
  return supertest(app.callback()).get('/');
}

describe('page headers', () => {
  it('every page is no-store HTML that may not be framed, with a nonce CSP that allows nothing else', async () => {
    const res = await serve(errorPage({ status: 400, code: 'invalid_client', description: 'unknown client_id "x"' }));
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['pragma'], 'no-cache');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const nonce = /style-src 'nonce-([A-Za-z0-9_-]{22})'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
    assert.ok(nonce, res.headers['content-security-policy']);
    assert.equal(
      res.headers['content-security-policy'],
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    assert.ok(res.text.includes(`<style nonce="${nonce}">`));
    // No external asset of any kind.
    assert.doesNotMatch(res.text, /\b(src|href)=/);
  });

  it('a fresh nonce per response', async () => {
    const page = loggedOutPage();
    const [a, b] = [await serve(page), await serve(page)];
    assert.notEqual(a.headers['content-security-policy'], b.headers['content-security-policy']);
  });

  it('form-action names the origins a form (and the redirect after it) may reach', () => {
    assert.equal(cspSource('https://app.example.com:8443/cb?x=1'), 'https://app.example.com:8443');
    assert.equal(cspSource('com.example.app:/callback'), 'com.example.app:');
    assert.equal(cspSource('not a url'), undefined);
    assert.equal(
      contentSecurityPolicy('N', { formTargets: ['http://127.0.0.1:4000/cb', 'http://127.0.0.1:4000/other', 'x'], script: 's' }),
      "default-src 'none'; style-src 'nonce-N'; script-src 'nonce-N'; form-action 'self' http://127.0.0.1:4000; frame-ancestors 'none'; base-uri 'none'",
    );
  });
});

describe('login page', () => {
  it('has the documented selectors, the CSRF token and the request, posting to the login endpoint', () => {
    const text = renderPage(loginPage(login()), 'N');
    assert.match(text, /<form method="post" action="\/oauth\/authorize\/login">/);
    assert.match(text, /<input type="hidden" name="csrf" value="csrf-token-123">/);
    assert.match(text, /<input type="hidden" name="authorization_request" value="client_id=web&amp;state=a%26b">/);
    assert.match(text, /<input id="username" name="username" value=""/);
    assert.match(text, /<textarea id="claims" name="claims"[^>]*><\/textarea>/);
    assert.match(text, /<button type="submit" class="user" name="user" value="alice" data-user="alice">/);
    assert.match(text, /<button type="submit" class="user" name="user" value="bob" data-user="bob">/);
    assert.match(text, /<button type="submit" class="deny" name="deny" value="deny">Deny<\/button>/);
    assert.ok(text.includes('Alice Liddell') && text.includes('alice@example.com'));
    // The username's own button is the form's first, so Enter in the field submits with it.
    assert.ok(text.indexOf('name="login"') < text.indexOf('data-user="alice"'));
  });

  it('escapes everything that came from the request or the store', () => {
    const text = renderPage(
      loginPage(
        login({
          client: { id: HOSTILE, name: HOSTILE },
          users: [{ id: HOSTILE, name: HOSTILE }],
          scope: [HOSTILE],
          redirectUri: HOSTILE,
          claims: `</textarea>${HOSTILE}`,
          username: HOSTILE,
          error: HOSTILE,
        }),
      ),
      'N',
    );
    assert.doesNotMatch(text, /<img/);
    assert.doesNotMatch(text, /<\/textarea><img/);
    assert.ok(text.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;'));
  });

  it('keeps typed values and shows the error on a 400', () => {
    const page = loginPage(login({ username: 'carol', claims: '{"acr":', error: 'Extra claims are not valid JSON' }));
    assert.equal(page.status, 400);
    const text = renderPage(page, 'N');
    assert.match(text, /name="username" value="carol"/);
    assert.match(text, /<textarea[^>]*>\{&quot;acr&quot;:<\/textarea>/);
    assert.match(text, /<p class="error" role="alert">Extra claims are not valid JSON<\/p>/);
  });

  it('login_hint focuses a known user, or fills the username field with an unknown one', () => {
    assert.match(renderPage(loginPage(login({ loginHint: 'bob' })), 'N'), /data-user="bob" autofocus>/);
    assert.match(renderPage(loginPage(login({ loginHint: 'zed' })), 'N'), /name="username" value="zed"/);
  });

  it('allows its form, and the redirect that follows it, to reach the redirect_uri only', () => {
    assert.deepEqual(loginPage(login()).formTargets, ['http://127.0.0.1:4000/callback']);
  });
});

describe('form_post page', () => {
  it('posts the response parameters to the redirect_uri, by script and by button', async () => {
    const res = await serve(formPostPage('http://127.0.0.1:4000/cb', { code: 'abc', state: '"<&>', iss: 'http://op', skipped: undefined }));
    assert.equal(res.status, 200);
    assert.match(res.text, /<form method="post" action="http:\/\/127.0.0.1:4000\/cb">/);
    assert.match(
      res.text,
      /<input type="hidden" name="code" value="abc">\n<input type="hidden" name="state" value="&quot;&lt;&amp;&gt;">\n<input type="hidden" name="iss" value="http:\/\/op">/,
    );
    assert.doesNotMatch(res.text, /skipped/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
    assert.ok(res.text.includes(`<script nonce="${nonce}">document.forms[0].submit();</script>`));
    assert.match(res.headers['content-security-policy'] ?? '', /form-action 'self' http:\/\/127.0.0.1:4000;/);
  });
});

describe('logout pages', () => {
  it('the confirmation carries the CSRF token and the request parameters', () => {
    const page = logoutConfirmPage({
      action: '/oauth/logout',
      csrf: 'T',
      params: { client_id: 'web', state: 's&', post_logout_redirect_uri: 'http://app/bye', ui_locales: undefined },
    });
    const text = renderPage(page, 'N');
    assert.match(text, /<input type="hidden" name="csrf" value="T">/);
    assert.match(
      text,
      /<input type="hidden" name="client_id" value="web">\n<input type="hidden" name="state" value="s&amp;">\n<input type="hidden" name="post_logout_redirect_uri" value="http:\/\/app\/bye">/,
    );
    assert.deepEqual(page.formTargets, ['http://app/bye']);
  });

  it('the signed-out page says why it did not redirect', () => {
    const text = renderPage(loggedOutPage({ notRedirected: 'post_logout_redirect_uri <x> is not registered' }), 'N');
    assert.match(text, /Not sent back to the application: post_logout_redirect_uri &lt;x&gt; is not registered/);
  });
});
