import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { join } from 'node:path';
import { emptyData } from '../../../src/core/types.js';
import { openFileStore } from '../../../src/store/file-store.js';
import { findExpired } from '../../../src/store/prune.js';
import { code, grant } from './helpers.js';

describe('findExpired', () => {
  it('names exactly the codes, grants and denylist entries expiring at or before now', () => {
    const data = emptyData();
    data.codes = { c1: code(99), c2: code(100), c3: code(101) };
    data.grants = { g1: grant('g1', 100), g2: grant('g2', 1_000) };
    data.denylist = { j1: 50, j2: 100, j3: 100.5 };
    data.users = { u: { id: 'u' } };
    assert.deepEqual(findExpired(data, 100), [
      ['codes', 'c1'],
      ['codes', 'c2'],
      ['grants', 'g1'],
      ['denylist', 'j1'],
      ['denylist', 'j2'],
    ]);
    assert.deepEqual(findExpired(data, 0), []);
  });
});

describe('Store.prune on a file store', () => {
  it('with nothing expired, takes no lock and writes nothing; with something expired, journals the deletions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-prune-'));
    const path = join(dir, 'db.json');
    const store = await openFileStore(path);
    try {
      await store.update((tx) => tx.put('grants', 'g1', grant('g1', 100)));
      const before = statSync(`${path}.log`).size;
      // Another process holds the lock: an idle prune (the server's timer) must not wait for it.
      // Retries: update() resolves its caller before its commit releases the lock.
      const release = await lockfile.lock(path, { realpath: false, retries: { retries: 100, minTimeout: 5, maxTimeout: 20 } });
      try {
        const outcome = await Promise.race([store.prune(99), sleep(5_000).then(() => 'waited for the lock')]);
        assert.equal(outcome, 0);
      } finally {
        await release();
      }
      assert.equal(statSync(`${path}.log`).size, before, 'no journal line for an empty prune');
      assert.equal(await store.prune(100), 1);
      assert.ok(statSync(`${path}.log`).size > before);
      assert.equal(store.read().grants.g1, undefined);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
