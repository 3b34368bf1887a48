import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_SIZE, screenshotLoginPage } from '../../scripts/screenshot-login.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/** Width and height from a PNG's IHDR chunk (PNG §11.2.2), after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is not a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the README screenshot of the login page', function () {
  this.timeout(60_000);
  const dirs = tempDirs('oauth-mock-shot-');
  after(() => dirs.cleanup());

  it('scripts/screenshot-login.ts renders the served page in headless Chromium', async () => {
    const out = join(dirs.make(), 'login.png');
    await screenshotLoginPage(out);
    assert.deepEqual(pngSize(out), SCREENSHOT_SIZE);
  });

  it("docs/login-page.png is that script's picture", () => {
    assert.deepEqual(pngSize('docs/login-page.png'), SCREENSHOT_SIZE);
  });
});
