// The store must not grow without bound: a running server drops expired codes, grants and
// denylist entries at start and then on a timer (CONTRACT.md, Store).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen, type RunningServer } from '../../src/server.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import type { Store } from '../../src/store/types.js';
import type { Grant } from '../../src/core/types.js';
import { authorizeQuery, fakeClock } from '../helpers/bootstrap.js';

function grant(id: string, expiresAt: number): Grant {
  return { id, client_id: 'client_123', user_id: 'alice', scope: ['openid'], resource: [], auth_time: 0, created_at: 0, expires_at: expiresAt };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await sleep(10);
  }
  assert.fail(`timed out waiting until ${what}`);
}

describe('pruning on a running server', () => {
  let store: Store;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await store.close();
  });

  it('drops what expired before the start, and keeps what is live', async () => {
    const clock = fakeClock();
    const now = Math.floor(clock.now() / 1000);
    store = createMemoryStore(loadFixtures());
    await store.update((tx) => {
      tx.put('grants', 'old', grant('old', now - 1));
      tx.put('grants', 'live', grant('live', now + 60));
      tx.put('denylist', 'gone-jti', now - 1);
      tx.put('denylist', 'live-jti', now + 60);
    });
    server = await listen({ store, port: 0, host: '127.0.0.1', clock });
    assert.deepEqual(Object.keys(store.read().grants), ['live']);
    assert.deepEqual(Object.keys(store.read().denylist), ['live-jti']);
  });

  it('drops an authorization code once it expires, on its timer, without a request', async () => {
    const clock = fakeClock();
    store = createMemoryStore(loadFixtures());
    server = await listen({ store, port: 0, host: '127.0.0.1', clock, pruneEveryMs: 20 });
    const userToken = server.app.appContext.tokens.mintUser(store.read(), { id: 'alice' }, { ttl: 600 }).token;
    const res = await fetch(`${server.url}/oauth/authorize?${authorizeQuery()}`, { headers: { Authorization: `Bearer ${userToken}` }, redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(Object.keys(store.read().codes).length, 1);
    await sleep(60);
    assert.equal(Object.keys(store.read().codes).length, 1, 'a live code is kept');
    clock.advance(61);
    await until(() => Object.keys(store.read().codes).length === 0, 'the expired code is pruned');
  });
});
