// Start-up failures and stop requests on the built binary: every refusal ends the process with
// one line and the port closed; SIGINT, SIGTERM and SIGHUP always end it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { tempDirs } from '../helpers/temp-dirs.js';
import { listen } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import { freePort, killAll, portOpen, spawnBin } from './helpers.js';

describe('oauth-mock start: failures and signals (the built binary)', () => {
  const dirs = tempDirs('oauth-mock-e2e-fail-');
  after(() => {
    killAll();
    dirs.cleanup();
  });

  for (const issuer of ['not-a-url', '127.0.0.1:9400', '', 'http://127.0.0.1:9400/?tenant=a', 'http://127.0.0.1:9400/#x']) {
    it(`refuses --issuer ${JSON.stringify(issuer)} with exit 2 before binding the port`, async () => {
      const port = await freePort();
      const run = spawnBin(['start', '--port', String(port), '--in-memory', '--issuer', issuer], { cwd: dirs.make() });
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), /^error: --issuer "[^\n]*" (is not an http\(s\) URL|must not have a (query|fragment))[^\n]*\n$/);
      assert.equal(await portOpen(port), false);
    });
  }

  it('ends at once on SIGTERM while start-up waits for the store lock', async () => {
    const dir = dirs.make();
    const db = join(dir, 'db.json');
    // A server (in this process) already serves the store: the binary prints a note about it,
    // then waits for the lock to record itself, which we hold (and keep fresh).
    const store = await createStore({ path: db, seed: () => loadFixtures() });
    const first = await listen({ store, port: 0, host: '127.0.0.1' });
    const release = await lockfile.lock(db, { realpath: false, stale: 3_000, update: 500 });
    try {
      const run = spawnBin(['start', '--port', '0', '--db', db], { cwd: dir });
      await run.waitFor(/^note: .* is also served by pid \d+ at http:/m);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 143);
      assert.equal(run.stdout(), '', 'it never became ready');
    } finally {
      await release();
      await first.close();
      await store.close();
    }
  });

  it('stops gracefully on the first SIGINT and at once on the second, even while the stop waits', async () => {
    const dir = dirs.make();
    const db = join(dir, 'db.json');
    const run = spawnBin(['start', '--port', '0', '--db', db, '--ready-file', 'ready.json'], { cwd: dir });
    const [, url] = (await run.waitFor(/"url":"(http:[^"]+)"/)) as unknown as [string, string];
    // The graceful stop removes this server's record from the store, under the lock we hold.
    const release = await lockfile.lock(db, { realpath: false, stale: 3_000, update: 500 });
    try {
      run.child.kill('SIGINT');
      await run.waitFor(/stopping…/);
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 130);
      assert.equal(
        await fetch(url).then(
          () => 'answered',
          () => 'closed',
        ),
        'closed',
      );
    } finally {
      await release();
    }
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`stops gracefully on ${signal}: exit 0 and the ready file removed`, async () => {
      const dir = dirs.make();
      const run = spawnBin(['start', '--port', '0', '--in-memory', '--quiet', '--ready-file', 'ready.json'], { cwd: dir });
      await run.waitFor(/"event":"ready"/);
      assert.equal(existsSync(join(dir, 'ready.json')), true);
      run.child.kill(signal);
      assert.equal(await run.exited, 0);
      assert.equal(existsSync(join(dir, 'ready.json')), false);
    });
  }

  it('a mistyped --fixtures directory is exit 2 naming the path, and nothing is seeded', async () => {
    const dir = dirs.make();
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'readme.txt'), 'not fixtures');
    for (const fixtures of ['missing', 'empty']) {
      const run = spawnBin(['start', '--port', '0', '--fixtures', fixtures], { cwd: dir });
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), new RegExp(`^error: --fixtures ${join(dir, fixtures)} `));
    }
    assert.equal(existsSync(join(dir, '.oauth-mock', 'db.json')), false);
  });
});
