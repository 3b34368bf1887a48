// Headless Chromium for the browser tests: Debian's `chromium` package, driven by
// playwright-core through executablePath (no browser is ever downloaded).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** CHROMIUM_PATH, else the first of chromium / chromium-browser / google-chrome on PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error('the browser tests need Chromium: apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium binary)');
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, timeout: 60_000 });
}
