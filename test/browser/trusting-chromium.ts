// Headless Chromium (Debian's package, driven by playwright-core) that trusts a CA the way
// README tells a developer to: the CA imported with certutil into the NSS database that
// Chromium on Linux reads, in a scratch HOME. No --ignore-certificate-errors anywhere.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { tempDirs } from '../helpers/temp-dirs.js';
import { chromiumPath } from './chromium.js';

/** Scratch HOMEs; call `cleanupHomes()` in `after`. */
const dirs = tempDirs('oauth-mock-browser-https-');
export const cleanupHomes = () => dirs.cleanup();

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
export function homeTrusting(ca: string | undefined): string {
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

export async function launch(home: string): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({ executablePath, headless: true, timeout: 60_000, env: { ...process.env, HOME: home } });
}
