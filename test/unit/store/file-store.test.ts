import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { dirname, join } from 'node:path';
import { emptyData } from '../../../src/core/types.js';
import { openFileStore } from '../../../src/store/file-store.js';
import { createStore } from '../../../src/store/index.js';
import { storeContract } from './contract.js';
import { grant, plain, tempDirs, user } from './helpers.js';

describe('file store', () => {
  const dirs = tempDirs();
  after(() => dirs.cleanup());
  const newPath = (): string => join(dirs.make(), 'nested', 'dir', 'db.json');

  describe('contract', () => {
    storeContract((initial) => openFileStore(newPath(), { seed: () => initial ?? emptyData() }));
  });

  it('creates the directory and seeds a new file, but never reseeds an existing one', async () => {
    const path = newPath();
    const seed = () => ({ ...emptyData(), users: { alice: user('alice') } });
    const store = await openFileStore(path, { seed });
    assert.equal(store.path, path);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).users.alice.id, 'alice');
    await store.update((tx) => tx.delete('users', 'alice'));
    await store.close();
    const again = await openFileStore(path, { seed });
    assert.equal(again.read().users['alice'], undefined);
    await again.close();
  });

  it('reseeds on reset with a newer generation', async () => {
    const path = newPath();
    const first = await openFileStore(path);
    await first.update((tx) => tx.put('users', 'old', user('old')));
    const reset = await openFileStore(path, { reset: true, seed: () => ({ ...emptyData(), users: { s: user('s') } }) });
    assert.deepEqual(Object.keys(reset.read().users), ['s']);
    assert.deepEqual(Object.keys(first.read().users), ['s'], 'another open store sees the reset');
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).generation, 2);
    await Promise.all([first.close(), reset.close()]);
  });

  it('keeps everything across a reopen', async () => {
    const path = newPath();
    const store = await openFileStore(path);
    await store.update((tx) => {
      tx.put('users', 'alice', user('alice'));
      tx.put('denylist', 'jti', 123);
      tx.setMeta('secret', 'abc');
    });
    await store.update((tx) => tx.put('users', 'bob', user('bob')));
    await store.update((tx) => tx.put('users', '__proto__', user('__proto__')));
    await store.update((tx) => tx.setMeta('secret', undefined));
    const expected = plain(store.read());
    await store.close();
    // Replayed from the journal, then (compactAt 1) from a compacted snapshot.
    for (const compactAt of [1, undefined]) {
      const reopened = await openFileStore(path, { compactAt });
      assert.deepEqual(plain(reopened.read()), expected);
      assert.equal(Object.hasOwn(reopened.read().meta, 'secret'), false);
      assert.equal(reopened.read().users['__proto__']?.id, '__proto__');
      assert.equal(Object.getPrototypeOf(reopened.read().users), null);
      await reopened.update((tx) => tx.put('denylist', 'x', 1));
      await reopened.update((tx) => tx.delete('denylist', 'x'));
      await reopened.close();
    }
    assert.ok(JSON.parse(readFileSync(path, 'utf8')).generation > 1, 'compacted');
  });

  it('writes nothing when the callback throws', async () => {
    const path = newPath();
    const store = await openFileStore(path);
    const before = readFileSync(`${path}.log`, 'utf8');
    await assert.rejects(
      store.update((tx) => {
        tx.put('users', 'a', user('a'));
        throw new Error('no');
      }),
    );
    await store.update(() => 'reads only');
    assert.equal(readFileSync(`${path}.log`, 'utf8'), before);
    await store.close();
  });

  it('refuses a snapshot that is not JSON, naming it and --reset, and leaves it alone', async () => {
    const path = newPath();
    await (await openFileStore(path)).close();
    writeFileSync(path, '{"users": {oops');
    await assert.rejects(openFileStore(path), (error: Error) => {
      assert.match(error.message, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.match(error.message, /not valid JSON/);
      assert.match(error.message, /--reset/);
      return true;
    });
    assert.equal(readFileSync(path, 'utf8'), '{"users": {oops');
    for (const [text, message] of [
      ['[]', /not a JSON object/],
      ['{"posts": []}', /unknown top-level keys: posts/],
    ] as const) {
      writeFileSync(path, text);
      await assert.rejects(openFileStore(path), message);
      assert.equal(readFileSync(path, 'utf8'), text);
    }
    const reset = await openFileStore(path, { reset: true });
    assert.deepEqual(plain(reset.read()), emptyData());
    await reset.close();
  });

  it('ignores a torn last journal line and cuts it off on the next commit', async () => {
    const path = newPath();
    const store = await openFileStore(path);
    await store.update((tx) => tx.put('users', 'alice', user('alice')));
    appendFileSync(`${path}.log`, '{"ops":[["p","users","ghost",{"id":"gh');
    assert.ok(store.read().users['alice'], 'a live reader skips the torn line');
    await store.close();

    const reopened = await openFileStore(path);
    assert.deepEqual(Object.keys(reopened.read().users), ['alice']);
    await reopened.update((tx) => tx.put('users', 'bob', user('bob')));
    const text = readFileSync(`${path}.log`, 'utf8');
    assert.ok(text.endsWith('\n') && !text.includes('ghost'));
    for (const line of text.trimEnd().split('\n')) JSON.parse(line);
    await reopened.close();
    const third = await openFileStore(path);
    assert.deepEqual(Object.keys(third.read().users).sort(), ['alice', 'bob']);
    await third.close();
  });

  it('recreates a missing journal from the snapshot (a store file written by hand)', async () => {
    const path = join(dirs.make(), 'db.json');
    writeFileSync(path, JSON.stringify({ ...emptyData(), users: { alice: user('alice') } }));
    const store = await openFileStore(path);
    assert.ok(existsSync(`${path}.log`));
    await store.update((tx) => tx.put('users', 'bob', user('bob')));
    await store.close();
    const reopened = await openFileStore(path);
    assert.deepEqual(Object.keys(reopened.read().users).sort(), ['alice', 'bob']);
    await reopened.close();
  });

  it('ignores temp files a compaction left when it died before renaming them', async () => {
    const path = newPath();
    const store = await openFileStore(path);
    await store.update((tx) => tx.put('users', 'alice', user('alice')));
    await store.close();
    // lowdb's temp names for the snapshot and the fresh journal, half written.
    writeFileSync(join(dirname(path), '.db.json.tmp'), '{"generation": 2, "users": {"ghost"');
    writeFileSync(join(dirname(path), '.db.json.log.tmp'), '{"genera');
    const reopened = await openFileStore(path, { compactAt: 1 });
    assert.deepEqual(Object.keys(reopened.read().users), ['alice']);
    // The next compaction (a journal larger than the snapshot) writes through the same temp names.
    await reopened.update((tx) => tx.put('users', 'bob', user('bob', 'x'.repeat(2_000))));
    await reopened.close();
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).generation, 2);
    const third = await openFileStore(path);
    assert.deepEqual(Object.keys(third.read().users).sort(), ['alice', 'bob']);
    await third.close();
  });

  it('refuses a journal newer than its snapshot (a restored backup), naming both, and changes neither', async () => {
    const path = newPath();
    const store = await openFileStore(path);
    await store.update((tx) => tx.put('users', 'alice', user('alice')));
    const snapshot = readFileSync(path, 'utf8');
    writeFileSync(`${path}.log`, '{"generation":5}\n');
    const refused = (error: Error): boolean => {
      assert.equal(
        error.message,
        `Journal ${path}.log is newer than store file ${path} (was the file restored from a backup?): ` +
          'delete the journal to use the file as it is, or start with --reset',
      );
      return true;
    };
    // Opening (no lock), and a commit of a store already open (under the lock).
    await assert.rejects(openFileStore(path), refused);
    await assert.rejects(
      store.update((tx) => tx.put('users', 'bob', user('bob'))),
      refused,
    );
    await store.close();
    assert.equal(readFileSync(path, 'utf8'), snapshot);
    assert.equal(readFileSync(`${path}.log`, 'utf8'), '{"generation":5}\n');
  });

  it("shows another store's commits at the next read() and loses no update between them", async () => {
    const path = newPath();
    const a = await openFileStore(path);
    const b = await openFileStore(path);
    await b.update((tx) => tx.put('users', 'fromB', user('fromB')));
    assert.ok(a.read().users['fromB']);
    const bump = (store: typeof a) => store.update((tx) => tx.put('denylist', 'n', (tx.data.denylist['n'] ?? 0) + 1));
    await Promise.all(Array.from({ length: 50 }, (_, i) => bump(i % 2 ? a : b)));
    for (let i = 0; i < 20; i++) await bump(i % 2 ? a : b);
    assert.equal(a.read().denylist['n'], 70);
    assert.equal(b.read().denylist['n'], 70);
    await a.replace({ ...emptyData(), users: { only: user('only') } });
    assert.deepEqual(Object.keys(b.read().users), ['only']);
    await Promise.all([a.close(), b.close()]);
  });

  it('is what createStore gives with a path', async () => {
    const path = newPath();
    const store = await createStore({ path, seed: () => ({ ...emptyData(), users: { a: user('a') } }) });
    assert.equal(store.path, path);
    assert.ok(store.read().users['a']);
    await store.close();
  });
});

describe('opening an existing file store', () => {
  it('reads it without waiting for a lock another process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-open-'));
    const path = join(dir, 'db.json');
    const first = await openFileStore(path);
    await first.update((tx) => tx.put('grants', 'g1', grant('g1', 100)));
    await first.close();
    const release = await lockfile.lock(path, { realpath: false });
    try {
      const opened = await Promise.race([openFileStore(path), sleep(2_000).then(() => undefined)]);
      assert.ok(opened, 'open waited for the lock');
      assert.equal(opened.read().grants.g1?.expires_at, 100);
      await opened.close();
    } finally {
      await release();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
