// The README's login page section stays true: every selector it documents is on the served page,
// and its example claims are accepted.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { parseLoginClaims } from '../../src/core/login-claims.js';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { launchChromium } from './chromium.js';

function loginSection(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('### The login page');
  assert.ok(start >= 0, 'README has a "### The login page" section');
  return readme.slice(start, readme.indexOf('\n### ', start + 1));
}

describe('README: the login page section', function () {
  this.timeout(60_000);
  let browser: Browser;
  let mock: OAuthMock;
  before(async () => {
    browser = await launchChromium();
    mock = await startOAuthMock({ profile: 'oidc', login: 'page', alg: 'RS256' });
  });
  after(async () => {
    await mock?.stop();
    await browser?.close();
  });

  it('documents exactly the four selectors, and each is on the page', async () => {
    const selectors = [...loginSection().matchAll(/^\| [^|]+ \| `([^`]+)` \|$/gm)].map((m) => m[1] ?? '');
    assert.deepEqual(selectors, ['input[name=username]', 'textarea[name=claims]', 'button[data-user=<id>]', 'button[name=deny]']);
    const page = await browser.newPage();
    const query = new URLSearchParams({ response_type: 'code', client_id: 'client_123', redirect_uri: 'http://localhost:3000/callback', scope: 'openid' });
    await page.goto(`${mock.url}/oauth/authorize?${query.toString()}`);
    for (const selector of selectors) {
      for (const id of ['alice', 'bob']) assert.equal(await page.locator(selector.replace('<id>', id)).count(), 1, selector);
    }
    await page.close();
  });

  it('its example claims are accepted, and its picture exists', () => {
    const section = loginSection();
    const typed = /page\.fill\('textarea\[name=claims\]', '([^']+)'\)/.exec(section)?.[1];
    assert.deepEqual(parseLoginClaims(typed), { ok: true, claims: { acr: 'urn:example:mfa', roles: ['admin'] } });
    assert.ok(section.includes('](docs/login-page.png)'));
    assert.ok(existsSync('docs/login-page.png'));
  });
});
