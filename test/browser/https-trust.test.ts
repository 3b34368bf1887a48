// README's browser instruction, done for real: headless Chromium (Debian's package, driven by
// playwright-core) with the mock's CA imported into its NSS database, as `certutil` does for a
// developer's browser, loads the server over https without any certificate override; without
// the CA it refuses the page. No --ignore-certificate-errors anywhere.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const dirs = tempDirs('oauth-mock-browser-https-');

/** The first of `names` on PATH; a clear error naming the Debian package otherwise. */
function onPath(names: string[], pkg: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  throw new Error(`this test needs ${names[0]}: apt-get install -y ${pkg}`);
}

/** A HOME whose NSS database (what Chromium on Linux trusts) holds `ca`, if given. */
function homeTrusting(ca: string | undefined): string {
  const home = dirs.make();
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  const certutil = onPath(['certutil'], 'libnss3-tools');
  execFileSync(certutil, ['-d', `sql:${db}`, '-N', '--empty-password']);
  if (ca !== undefined) {
    const file = join(home, 'oauth-mock-ca.pem');
    writeFileSync(file, ca);
    // The README's command: an authority trusted to identify websites (C,,).
    execFileSync(certutil, ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'oauth-mock', '-i', file]);
  }
  return home;
}

async function launch(home: string): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? onPath(['chromium', 'chromium-browser', 'google-chrome'], 'chromium');
  return chromium.launch({ executablePath, headless: true, timeout: 60_000, env: { ...process.env, HOME: home } });
}

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
    dirs.cleanup();
  });

  it('loads discovery over https, the certificate issued by the mock\'s CA', async () => {
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
