// README's browser instruction, done for real: headless Chromium with the mock's CA imported
// into its NSS database loads the server over https without any certificate override; without
// the CA it refuses the page.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { cleanupHomes, homeTrusting, launch } from './trusting-chromium.js';

describe('a browser that trusts the CA (headless Chromium)', function () {
  this.timeout(120_000);
  let mock: OAuthMock;
  const browsers: Browser[] = [];

  before(async () => {
    mock = await startOAuthMock({ https: true, host: 'localhost' });
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await mock.stop();
    cleanupHomes();
  });

  it("loads discovery over https, the certificate issued by the mock's CA", async () => {
    const browser = await launch(homeTrusting(mock.ca));
    browsers.push(browser);
    const page = await browser.newPage();
    const res = await page.goto(mock.discoveryUrl);
    assert.equal(res?.status(), 200);
    assert.equal((JSON.parse(await page.innerText('body')) as { issuer: string }).issuer, mock.issuer);
    const details = await res?.securityDetails();
    assert.equal(details?.subjectName, 'localhost');
    assert.match(details?.issuer ?? '', /^oauth-mock local CA [0-9a-f]{8}$/);
  });

  it('refuses the same page without the CA (so the trust above is what made it work)', async () => {
    const browser = await launch(homeTrusting(undefined));
    browsers.push(browser);
    const page = await browser.newPage();
    await assert.rejects(page.goto(mock.discoveryUrl), /net::ERR_CERT_AUTHORITY_INVALID/);
  });
});
