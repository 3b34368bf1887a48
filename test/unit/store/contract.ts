// Behaviour every Store must have, run against the memory store and the file store alike.
import assert from 'node:assert/strict';
import { emptyData } from '../../../src/core/types.js';
import type { Data } from '../../../src/core/types.js';
import type { Store } from '../../../src/store/types.js';
import { grant, plain, user } from './helpers.js';

export function storeContract(open: (initial?: Data) => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('puts, reads and deletes records', async () => {
    await store.update((tx) => tx.put('users', 'alice', user('alice', 'Alice')));
    assert.deepEqual(store.read().users['alice'], user('alice', 'Alice'));
    await store.update((tx) => tx.delete('users', 'alice'));
    assert.equal(store.read().users['alice'], undefined);
    assert.equal(Object.hasOwn(store.read().users, 'alice'), false);
  });

  it("resolves with the callback's return value", async () => {
    assert.equal(await store.update(() => 42), 42);
  });

  it('lets a transaction see its own writes', async () => {
    await store.update((tx) => tx.put('users', 'bob', user('bob')));
    const seen = await store.update((tx) => {
      tx.put('users', 'alice', user('alice'));
      tx.delete('users', 'bob');
      tx.setMeta('secret', 's3cret');
      return { alice: tx.data.users['alice'], bob: Object.hasOwn(tx.data.users, 'bob'), secret: tx.data.meta.secret };
    });
    assert.deepEqual(seen, { alice: user('alice'), bob: false, secret: 's3cret' });
  });

  it('tx.fail commits what the callback did, then rejects with its error', async () => {
    const refused = new Error('refused, with a trace');
    await assert.rejects(
      store.update((tx) => {
        tx.put('users', 'alice', user('alice'));
        tx.fail(refused);
      }),
      (error: unknown) => error === refused,
    );
    assert.deepEqual(store.read().users['alice'], user('alice'));
    // Later updates in the same batch still see it and commit on top of it.
    const [a, b] = await Promise.allSettled([
      store.update((tx) => {
        tx.put('users', 'bob', user('bob'));
        tx.fail(new Error('no'));
      }),
      store.update((tx) => Object.hasOwn(tx.data.users, 'bob')),
    ]);
    assert.equal(a.status, 'rejected');
    assert.deepEqual(b, { status: 'fulfilled', value: true });
    assert.deepEqual(store.read().users['bob'], user('bob'));
  });

  it('rolls back everything a throwing callback did and rethrows its error', async () => {
    await store.update((tx) => tx.put('users', 'bob', user('bob', 'Bob')));
    const boom = new Error('boom');
    await assert.rejects(
      store.update((tx) => {
        tx.put('users', 'alice', user('alice'));
        tx.put('users', 'bob', user('bob', 'changed'));
        tx.delete('users', 'bob');
        tx.setMeta('secret', 'x');
        throw boom;
      }),
      (error) => error === boom,
    );
    assert.deepEqual(plain(store.read().users), { bob: user('bob', 'Bob') });
    assert.equal(store.read().meta.secret, undefined);
  });

  it('runs concurrent updates in order, each seeing the previous ones; a throw affects only its own', async () => {
    const bump = (): Promise<number> =>
      store.update((tx) => {
        const next = (tx.data.denylist['n'] ?? 0) + 1;
        tx.put('denylist', 'n', next);
        return next;
      });
    const results = await Promise.allSettled([
      bump(),
      bump(),
      store.update((tx) => {
        tx.put('denylist', 'n', 1000);
        throw new Error('no');
      }),
      bump(),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
      [1, 2, 'rejected', 3],
    );
    assert.equal(store.read().denylist['n'], 3);
  });

  it('stores a copy: mutating a value after put changes nothing', async () => {
    const alice = user('alice', 'Alice');
    await store.update((tx) => tx.put('users', 'alice', alice));
    alice.name = 'Mallory';
    assert.equal(store.read().users['alice']?.name, 'Alice');
  });

  it('keeps ids like __proto__ and constructor as ordinary keys', async () => {
    const users = store.read().users;
    assert.equal(users['__proto__'], undefined);
    assert.equal(users['constructor'], undefined);
    assert.equal(Reflect.get(users, 'toString'), undefined);
    await store.update((tx) => {
      tx.put('users', '__proto__', { id: '__proto__', name: 'proto' });
      tx.put('clients', 'constructor', { id: 'constructor', public: true, redirect_uris: [], scopes: [] });
    });
    const data = store.read();
    assert.equal(Object.hasOwn(data.users, '__proto__'), true);
    assert.equal(data.users['__proto__']?.name, 'proto');
    assert.equal(data.clients['constructor']?.id, 'constructor');
    assert.equal(({} as Record<string, unknown>)['name'], undefined, 'Object.prototype untouched');
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(data)).users), ['__proto__']);
    await store.update((tx) => tx.delete('users', '__proto__'));
    assert.equal(store.read().users['__proto__'], undefined);
  });

  it('refuses async callbacks instead of losing their later writes', async () => {
    await assert.rejects(
      store.update(async (tx) => tx.put('users', 'a', user('a'))),
      /synchronous/,
    );
    assert.equal(store.read().users['a'], undefined);
  });

  it('prunes expired grants through a transaction and returns the count', async () => {
    await store.update((tx) => {
      tx.put('grants', 'old', grant('old', 100));
      tx.put('grants', 'new', grant('new', 101));
    });
    assert.equal(await store.prune(100), 1);
    assert.deepEqual(Object.keys(store.read().grants), ['new']);
  });

  it('replaces everything, keeping updates made before and after in order', async () => {
    const before = store.update((tx) => tx.put('users', 'before', user('before')));
    const data = emptyData();
    data.users['fresh'] = user('fresh');
    const replaced = store.replace(data);
    const after = store.update((tx) => tx.put('users', 'after', user('after')));
    await Promise.all([before, replaced, after]);
    assert.deepEqual(Object.keys(store.read().users).sort(), ['after', 'fresh']);
  });

  it('rejects updates once closed', async () => {
    await store.update((tx) => tx.put('users', 'a', user('a')));
    await store.close();
    await assert.rejects(
      store.update(() => 1),
      /closed/,
    );
    store = await open();
  });
}
