import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { emptyData } from '../../../src/core/types.js';
import { openFileStore } from '../../../src/store/file-store.js';
import { grant, journalLines, tempDirs, user } from './helpers.js';

describe('file store group commit', () => {
  const dirs = tempDirs();
  after(() => dirs.cleanup());

  it('commits concurrent updates in fewer appends than updates, all applied', async () => {
    const path = join(dirs.make(), 'db.json');
    const store = await openFileStore(path);
    const n = 200;
    const ids = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        store
          .update((tx) => {
            if (i === 7) throw new Error('only this one fails');
            tx.put('users', `u${i}`, user(`u${i}`));
            return i;
          })
          .catch(() => -1),
      ),
    );
    assert.equal(ids.filter((i) => i >= 0).length, n - 1);
    const lines = journalLines(path);
    assert.ok(lines.length < n / 10, `${lines.length} appends for ${n} updates`);
    assert.equal(Object.keys(store.read().users).length, n - 1);
    await store.close();
  });

  it('keeps the per-update cost independent of store size (100k grants)', async function () {
    this.timeout(120_000);
    const path = join(dirs.make(), 'db.json');
    const seed = () => {
      const data = emptyData();
      for (let i = 0; i < 100_000; i++) data.grants[`grant-${i}`] = grant(`grant-${i}`, 2_000_000_000);
      return data;
    };
    const store = await openFileStore(path, { seed });
    const snapshotBefore = statSync(path);
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => store.update((tx) => tx.put('denylist', `jti-${i}`, i))));
    // Sequential commits too: each must append a line, not rewrite the 20 MB snapshot.
    for (let i = 0; i < 20; i++) await store.update((tx) => tx.put('users', `u${i}`, user(`u${i}`)));
    const snapshotAfter = statSync(path);
    assert.equal(snapshotAfter.ino, snapshotBefore.ino, 'snapshot not rewritten');
    assert.equal(snapshotAfter.mtimeMs, snapshotBefore.mtimeMs, 'snapshot not rewritten');
    assert.ok(journalLines(path).length <= 25, `${journalLines(path).length} appends`);
    assert.equal(Object.keys(store.read().denylist).length, 1_000);
    // What a commit costs, as behaviour rather than time: it writes its own line and nothing else.
    const journalBefore = statSync(`${path}.log`).size;
    await store.update((tx) => tx.put('users', 'last', user('last')));
    const line = '{"ops":[["p","users","last",{"id":"last","name":"last"}]]}';
    assert.equal(statSync(`${path}.log`).size - journalBefore, Buffer.byteLength(`${line}\n`));
    assert.equal(journalLines(path).at(-1), line);
    await store.close();
  });
});
