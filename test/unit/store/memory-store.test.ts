import assert from 'node:assert/strict';
import { emptyData } from '../../../src/core/types.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { createStore } from '../../../src/store/index.js';
import { storeContract } from './contract.js';
import { plain, user } from './helpers.js';

describe('memory store', () => {
  storeContract(async (initial) => createMemoryStore(initial));

  it('starts from a copy of the initial data and has no path', async () => {
    const initial = emptyData();
    initial.users['alice'] = user('alice');
    const store = createMemoryStore(initial);
    initial.users['bob'] = user('bob');
    assert.equal(store.path, null);
    assert.deepEqual(plain(store.read().users), { alice: user('alice') });
    await store.close();
  });

  it('is what createStore gives without a path or with inMemory', async () => {
    const seed = () => ({ ...emptyData(), users: { alice: user('alice') } });
    for (const opts of [{ seed }, { path: null, seed }, { path: '/nonexistent/db.json', inMemory: true, seed }]) {
      const store = await createStore(opts);
      assert.equal(store.path, null);
      assert.ok(store.read().users['alice']);
      await store.close();
    }
  });
});
