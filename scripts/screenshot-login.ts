// Writes the README's picture of the login page (docs/login-page.png): the oidc profile with the
// shipped fixtures, opened by client_123 in the same headless Chromium the browser tests use.
//   npx tsx scripts/screenshot-login.ts [out.png]
import { pathToFileURL } from 'node:url';
import { startOAuthMock } from '../src/index.js';
import { launchChromium } from '../test/browser/chromium.js';

export const SCREENSHOT_SIZE = { width: 760, height: 760 } as const;

export async function screenshotLoginPage(path: string): Promise<void> {
  const mock = await startOAuthMock({ profile: 'oidc', login: 'page', alg: 'RS256' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: SCREENSHOT_SIZE, deviceScaleFactor: 1 });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'client_123',
      redirect_uri: 'http://localhost:3000/callback',
      scope: 'openid profile email',
      state: 'xyz',
      nonce: 'n-0S6_WzA2Mj',
    });
    await page.goto(`${mock.url}/oauth/authorize?${query.toString()}`);
    await page.waitForSelector('button[name=deny]');
    await page.fill('textarea[name=claims]', '{"acr": "urn:example:mfa", "roles": ["admin"]}');
    await page.screenshot({ path, fullPage: false });
  } finally {
    await browser.close();
    await mock.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await screenshotLoginPage(process.argv[2] ?? 'docs/login-page.png');
}
