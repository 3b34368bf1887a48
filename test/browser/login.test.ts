// The login page in a real browser: headless Chromium drives a small relying party (node:http +
// openid-client) through oauth-mock's oidc profile, as a person would.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { launchChromium } from './chromium.js';
import { startRpApp, type RpApp } from './rp-app.js';

const SECRET = 'rp-secret-that-is-long-enough-for-hs256-keys';

describe('the login page in a real browser (oidc profile)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let mock: OAuthMock;
  let rp: RpApp;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    mock = await startOAuthMock({ profile: 'oidc', login: 'page', alg: 'RS256' });
    rp = await startRpApp({
      issuer: mock.issuer,
      clientId: 'rp-web',
      clientSecret: SECRET,
      register: async ({ callback, loggedOut }) => {
        await mock.addClient({
          id: 'rp-web',
          name: 'RP Web',
          secret: SECRET,
          redirect_uris: [callback],
          post_logout_redirect_uris: [loggedOut],
          scopes: ['openid', 'profile', 'email'],
        });
      },
    });
  });
  after(async () => {
    await rp?.close();
    await mock?.stop();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(() => context.close());

  const result = async () => (await page.locator('#result').textContent()) ?? '';
  const claims = async () => JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<string, unknown>;
  /** Opens the app's sign-in and lands on oauth-mock's login page. */
  async function openLoginPage(query = '') {
    await page.goto(`${rp.url}/login${query}`);
    await page.waitForSelector('button[name=deny]');
    assert.equal(await page.title(), 'Sign in to RP Web · oauth-mock');
  }
  async function signInAs(user: string) {
    await openLoginPage();
    await page.click(`button[data-user=${user}]`);
    await page.waitForSelector('#result');
    assert.equal(await result(), 'signed-in');
    return claims();
  }

  it('app → login page → alice → back in the app, which shows the ID token claims', async () => {
    const got = await signInAs('alice');
    assert.equal(got.iss, mock.issuer);
    assert.equal(got.sub, 'alice');
    assert.equal(got.aud, 'rp-web');
    assert.equal(typeof got.nonce, 'string');
    assert.equal(typeof got.auth_time, 'number');
    assert.match(String(got.sid), /^[A-Za-z0-9_-]{22}$/);
  });

  it('JSON typed in the claims box lands in the ID token; a JSON error is shown on the page first', async () => {
    await openLoginPage();
    await page.fill('textarea[name=claims]', '{"acr": ');
    await page.click('button[data-user=bob]');
    await page.waitForSelector('[role=alert]');
    assert.match((await page.locator('[role=alert]').textContent()) ?? '', /^Extra claims are not valid JSON: /);
    assert.equal(await page.inputValue('textarea[name=claims]'), '{"acr": ');
    await page.fill('textarea[name=claims]', '{"acr": "urn:example:mfa", "roles": ["tester"]}');
    await page.click('button[data-user=bob]');
    await page.waitForSelector('#result');
    const got = await claims();
    assert.deepEqual([got.sub, got.acr, got.roles], ['bob', 'urn:example:mfa', ['tester']]);
  });

  it('a typed username signs in an ad-hoc user with that sub', async () => {
    await openLoginPage();
    await page.fill('input[name=username]', 'carol@example.test');
    await page.press('input[name=username]', 'Enter');
    await page.waitForSelector('#result');
    assert.equal((await claims()).sub, 'carol@example.test');
  });

  it('Deny → the app receives access_denied', async () => {
    await openLoginPage();
    await page.click('button[name=deny]');
    await page.waitForSelector('#result');
    assert.equal(await result(), 'error');
    assert.equal(await page.locator('#error').textContent(), 'access_denied');
  });

  it('prompt=none after a login is silent: no login page, the same auth_time and sid', async () => {
    const first = await signInAs('alice');
    const pages: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(mock.url) && response.status() === 200) pages.push(new URL(response.url()).pathname);
    });
    await page.goto(`${rp.url}/login?prompt=none`);
    await page.waitForSelector('#result');
    assert.equal(await result(), 'signed-in');
    const again = await claims();
    assert.deepEqual([again.sub, again.auth_time, again.sid], ['alice', first.auth_time, first.sid]);
    assert.deepEqual(
      pages.filter((p) => p.endsWith('/authorize')),
      [],
      'authorize answered with a redirect, not a page',
    );
  });

  it('logout → back in the app with its state; the next prompt=none → login_required', async () => {
    await signInAs('alice');
    await page.goto(`${rp.url}/logout`);
    await page.waitForSelector('#result');
    assert.equal(await result(), 'logged-out');
    assert.equal(await page.locator('#state').textContent(), 'bye-state');
    await page.goto(`${rp.url}/login?prompt=none`);
    await page.waitForSelector('#result');
    assert.equal(await result(), 'error');
    assert.equal(await page.locator('#error').textContent(), 'login_required');
  });

  it('response_mode=form_post → the app receives the code by POST', async () => {
    const before = rp.received.length;
    await openLoginPage('?response_mode=form_post');
    await page.click('button[data-user=alice]');
    await page.waitForSelector('#result');
    assert.equal(await result(), 'signed-in');
    const received = rp.received.slice(before);
    assert.equal(received.length, 1);
    assert.equal(received[0]?.method, 'POST');
    assert.match(received[0]?.params.code ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(received[0]?.params.iss, mock.issuer);
  });
});
