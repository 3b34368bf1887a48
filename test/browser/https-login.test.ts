// The oidc login page over https in a real browser that trusts the mock's CA: the login
// session and CSRF cookies carry `Secure` (a browser would drop a Secure cookie over http).
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { SEED } from '../helpers/bootstrap.js';
import { cleanupHomes, homeTrusting, launch } from './trusting-chromium.js';

const CALLBACK = 'https://app.example.test/callback';

describe('the login page over https (headless Chromium trusting the CA)', function () {
  this.timeout(120_000);
  let mock: OAuthMock;
  let browser: Browser;

  before(async () => {
    mock = await startOAuthMock({ profile: 'oidc', login: 'page', https: true, host: 'localhost' });
    await mock.addClient({
      id: 'web',
      name: 'Web',
      secret: 'web-secret-that-is-long-enough-for-hs256',
      redirect_uris: [CALLBACK],
      scopes: ['openid', 'profile'],
    });
    browser = await launch(homeTrusting(mock.ca));
  });
  after(async () => {
    await browser?.close();
    await mock?.stop();
    cleanupHomes();
  });

  it('loads the login page, signs alice in, and the session and CSRF cookies are Secure', async () => {
    const context = await browser.newContext();
    // The app behind the redirect_uri: only its URL matters here.
    await context.route(`${CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'app' }));
    const page = await context.newPage();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'web',
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: SEED.challenge,
      code_challenge_method: 'S256',
    });
    const res = await page.goto(`${mock.url}/oauth/authorize?${query}`);
    assert.equal(res?.status(), 200);
    assert.equal(await page.title(), 'Sign in to Web · oauth-mock');
    assert.match((await res?.securityDetails())?.issuer ?? '', /^oauth-mock local CA /);
    const csrf = (await context.cookies(mock.url)).find((c) => c.name === 'oauth_mock_csrf');
    assert.deepEqual([csrf?.secure, csrf?.httpOnly, csrf?.sameSite], [true, true, 'Strict']);

    await page.click('button[data-user=alice]');
    await page.waitForURL(`${CALLBACK}?**`);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.equal(back.searchParams.get('iss'), mock.issuer);
    assert.ok(back.searchParams.get('code'));
    const session = (await context.cookies(mock.url)).find((c) => c.name === 'oauth_mock_session');
    assert.deepEqual([session?.secure, session?.httpOnly, session?.sameSite, session?.path], [true, true, 'Lax', '/']);
    await context.close();
  });

  it('whereas the same page over plain http sets them without Secure (so https is what adds it)', async () => {
    const plain = await startOAuthMock({ profile: 'oidc', login: 'page' });
    const context = await browser.newContext();
    try {
      await plain.addClient({ id: 'web', name: 'Web', secret: 'web-secret-that-is-long-enough-for-hs256', redirect_uris: [CALLBACK], scopes: ['openid'] });
      const page = await context.newPage();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: 'web',
        redirect_uri: CALLBACK,
        scope: 'openid',
        state: 's',
        code_challenge: SEED.challenge,
        code_challenge_method: 'S256',
      });
      assert.equal((await page.goto(`${plain.url}/oauth/authorize?${query}`))?.status(), 200);
      const csrf = (await context.cookies(plain.url)).find((c) => c.name === 'oauth_mock_csrf');
      assert.equal(csrf?.secure, false);
    } finally {
      await context.close();
      await plain.stop();
    }
  });
});
