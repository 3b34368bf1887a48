import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSession, DEFAULT_SESSION_TTL, endSession, findSession } from '../../../src/core/sessions.js';
import { digestKey } from '../../../src/core/random.js';
import { emptyData } from '../../../src/core/types.js';
import { openFileStore } from '../../../src/store/file-store.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { findExpired } from '../../../src/store/prune.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const seeded = () => createMemoryStore({ ...emptyData(), users: { alice: { id: 'alice' }, bob: { id: 'bob' } } });

describe('login sessions', () => {
  const dirs = tempDirs('oauth-mock-sessions-');
  after(() => dirs.cleanup());

  it('stores the user, login time, expiry and claims under a fresh sid, and only a digest of the secret', async () => {
    const store = seeded();
    const cookie = await store.update((tx) => createSession(tx, { userId: 'alice', now: 1000, claims: { acr: 'mfa' } }));
    const [sid, secret] = cookie.value.split('.');
    assert.equal(sid, cookie.sid);
    assert.match(cookie.sid, /^[A-Za-z0-9_-]{22}$/);
    assert.match(secret ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(JSON.parse(JSON.stringify(store.read().sessions)), {
      [cookie.sid]: {
        user_id: 'alice',
        secret_digest: digestKey(secret ?? ''),
        auth_time: 1000,
        created_at: 1000,
        expires_at: 1000 + DEFAULT_SESSION_TTL,
        claims: { acr: 'mfa' },
      },
    });
    assert.equal(JSON.stringify(store.read()).includes(secret ?? '-'), false);
  });

  it('finds a session only by its exact cookie, before it expires, while its user exists', async () => {
    const store = seeded();
    const { value, sid } = await store.update((tx) => createSession(tx, { userId: 'bob', now: 1000, ttl: 60 }));
    assert.equal(findSession(store.read(), value, 1059)?.sid, sid);
    assert.equal(findSession(store.read(), value, 1059)?.session.user_id, 'bob');
    for (const bad of [undefined, '', sid, `${sid}.`, `${sid}.x${value.slice(sid.length + 2)}`, `.${value}`, `__proto__.${value.split('.')[1]}`]) {
      assert.equal(findSession(store.read(), bad, 1000), undefined, String(bad));
    }
    assert.equal(findSession(store.read(), value, 1060), undefined, 'expired at expires_at');
    await store.update((tx) => tx.delete('users', 'bob'));
    assert.equal(findSession(store.read(), value, 1000), undefined, 'the user was removed');
  });

  it('a new login replaces the old session; logout ends it; ending twice is a no-op', async () => {
    const store = seeded();
    const first = await store.update((tx) => createSession(tx, { userId: 'alice', now: 1 }));
    const second = await store.update((tx) => createSession(tx, { userId: 'bob', now: 2 }, first.sid));
    assert.notEqual(first.sid, second.sid);
    assert.deepEqual(Object.keys(store.read().sessions), [second.sid]);
    assert.equal(await store.update((tx) => endSession(tx, second.sid)), true);
    assert.equal(await store.update((tx) => endSession(tx, second.sid)), false);
    assert.deepEqual(Object.keys(store.read().sessions), []);
  });

  it('empty claims are not stored', async () => {
    const store = seeded();
    const { sid } = await store.update((tx) => createSession(tx, { userId: 'alice', now: 1, claims: {} }));
    assert.equal('claims' in (store.read().sessions[sid] ?? {}), false);
  });

  it('expired sessions are pruned like codes', () => {
    const data = emptyData();
    data.sessions = {
      s1: { user_id: 'a', secret_digest: 'd', auth_time: 1, created_at: 1, expires_at: 100 },
      s2: { user_id: 'a', secret_digest: 'd', auth_time: 1, created_at: 1, expires_at: 101 },
    };
    assert.deepEqual(findExpired(data, 100), [['sessions', 's1']]);
  });

  it('persist in a file store: a restarted server still knows the browser', async () => {
    const path = join(dirs.make(), 'db.json');
    const first = await openFileStore(path, { seed: () => ({ ...emptyData(), users: { alice: { id: 'alice' } } }) });
    const cookie = await first.update((tx) => createSession(tx, { userId: 'alice', now: 1000 }));
    await first.close();
    const second = await openFileStore(path);
    try {
      assert.equal(findSession(second.read(), cookie.value, 1001)?.session.user_id, 'alice');
    } finally {
      await second.close();
    }
  });
});
