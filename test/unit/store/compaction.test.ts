import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../../src/store/file-store.js';
import { grant, journalLines, plain, tempDirs, user } from './helpers.js';

const generation = (path: string): number => (JSON.parse(readFileSync(path, 'utf8')) as { generation: number }).generation;

describe('file store compaction', () => {
  const dirs = tempDirs();
  after(() => dirs.cleanup());

  it('folds the journal into a new snapshot; a reopen sees identical data; the files parse throughout', async () => {
    const path = join(dirs.make(), 'db.json');
    const store = await openFileStore(path, { compactAt: 2_000 });
    const other = await openFileStore(path, { compactAt: 2_000 });
    // Parse the snapshot and every complete journal line on every turn of the event loop.
    let polls = 0;
    let polling = true;
    const poll = (): void => {
      JSON.parse(readFileSync(path, 'utf8'));
      journalLines(path).forEach((line) => JSON.parse(line));
      polls++;
      if (polling) setImmediate(poll);
    };
    poll();
    try {
      for (let round = 0; round < 40; round++) {
        await Promise.all([
          store.update((tx) => tx.put('users', `u${round}`, user(`u${round}`, 'x'.repeat(100)))),
          other.update((tx) => tx.put('grants', `g${round}`, grant(`g${round}`, round))),
          store.update((tx) => tx.delete('users', `u${round - 5}`)),
        ]);
      }
    } finally {
      polling = false;
    }
    assert.ok(polls > 10);
    assert.ok(generation(path) > 3, `compacted several times (generation ${generation(path)})`);
    // Compaction starts once the journal outgrows max(compactAt, snapshot): it stays below that.
    const bound = Math.max(2_000, statSync(path).size) + 1_000;
    assert.ok(statSync(`${path}.log`).size < bound, 'journal restarted after compaction');
    const expected = plain(store.read());
    assert.equal(Object.keys(expected.users).length, 5);
    assert.equal(Object.keys(expected.grants).length, 40);
    assert.deepEqual(plain(other.read()), expected);
    await Promise.all([store.close(), other.close()]);
    const reopened = await openFileStore(path);
    assert.deepEqual(plain(reopened.read()), expected);
    await reopened.close();
  });

  it('finishes a compaction that died between the snapshot and the journal', async () => {
    const path = join(dirs.make(), 'db.json');
    const store = await openFileStore(path);
    const observer = await openFileStore(path);
    await store.update((tx) => tx.put('users', 'a', user('a')));
    // What a crash after writing snapshot generation 2 but before its journal leaves behind.
    writeFileSync(path, JSON.stringify({ generation: 2, ...plain(store.read()) }));
    assert.deepEqual(Object.keys(observer.read().users), ['a']);
    // Both stores still hold generation 1's journal: a commit must not go there, since
    // readers of generation 2 ignore that journal.
    await store.update((tx) => tx.put('users', 'b', user('b')));
    const header = JSON.parse(readFileSync(`${path}.log`, 'utf8').split('\n')[0] ?? '') as { generation: number };
    assert.equal(header.generation, 2);
    assert.deepEqual(Object.keys(observer.read().users).sort(), ['a', 'b']);
    await Promise.all([store.close(), observer.close()]);
    const reopened = await openFileStore(path);
    assert.deepEqual(Object.keys(reopened.read().users).sort(), ['a', 'b']);
    await reopened.close();
  });
});
