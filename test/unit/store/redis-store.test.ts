import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { emptyData } from '../../../src/core/types.js';
import type { Data } from '../../../src/core/types.js';
import { TemporarilyUnavailable } from '../../../src/errors.js';
import { openRedisStore } from '../../../src/store/redis/redis-store.js';
import type { Store } from '../../../src/store/types.js';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { storeContract } from './contract.js';
import { code, grant, plain, user } from './helpers.js';

describe('redis store', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  const opened: Store[] = [];
  before(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((s) => s.close()));
  });
  after(async () => {
    await redis?.stop();
  });

  /** A store in its own namespace, as `--issuer` would give it. */
  const open = async (namespace = `http://test-${randomUUID()}`, opts: { seed?: () => Data; reset?: boolean } = {}): Promise<Store> => {
    const store = await openRedisStore({ url: redis.url(), namespace, ...opts });
    opened.push(store);
    return store;
  };
  const refresh = (store: Store): Promise<void> => (store as Store & { refresh(): Promise<void> }).refresh();
  const now = (): number => Math.floor(Date.now() / 1000);

  describe('contract', () => {
    storeContract((initial) => open(undefined, { seed: () => initial ?? emptyData() }));
  });

  it('seeds a new namespace once: replicas opening together all get the first seed', async () => {
    const ns = `http://seed-${randomUUID()}`;
    const seeds = ['a', 'b', 'c'].map((id) => () => ({ ...emptyData(), users: { [id]: user(id) } }));
    const stores = await Promise.all(seeds.map((seed) => open(ns, { seed })));
    const seen = stores.map((s) => Object.keys(s.read().users));
    assert.equal(seen[0]?.length, 1);
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
    // An existing namespace is never reseeded.
    const again = await open(ns, { seed: () => ({ ...emptyData(), users: { z: user('z') } }) });
    assert.deepEqual(Object.keys(again.read().users), seen[0]);
  });

  it('keeps users and clients in the order they were added, after a reload too', async () => {
    const ns = `http://order-${randomUUID()}`;
    const a = await open(ns);
    for (const id of ['zed', 'amy', 'mo']) await a.update((tx) => tx.put('users', id, user(id)));
    await a.update((tx) => tx.put('users', 'amy', user('amy', 'Amy')));
    const b = await open(ns);
    assert.deepEqual(Object.keys(b.read().users), ['zed', 'amy', 'mo']);
    assert.equal(b.read().users['amy']?.name, 'Amy');
  });

  it('shows another process its commits on the next refresh, and a reset too', async () => {
    const ns = `http://share-${randomUUID()}`;
    const a = await open(ns);
    const b = await open(ns);
    await a.update((tx) => tx.put('users', 'alice', user('alice', 'Alice')));
    await a.update((tx) => tx.put('denylist', 'jti-1', now() + 600));
    assert.equal(b.read().users['alice'], undefined, 'not before refresh');
    await refresh(b);
    assert.deepEqual(b.read().users['alice'], user('alice', 'Alice'));
    assert.equal(b.read().denylist['jti-1'], now() + 600);
    await open(ns, { reset: true, seed: () => ({ ...emptyData(), users: { fresh: user('fresh') } }) });
    await refresh(a);
    assert.deepEqual(plain(a.read().users), { fresh: user('fresh') });
    assert.deepEqual(plain(a.read().denylist), {});
  });

  it('serializes read-modify-writes across processes: 3 × 20 concurrent increments give 1..60 once each', async () => {
    const ns = `http://count-${randomUUID()}`;
    const stores = [await open(ns), await open(ns), await open(ns)];
    const bump = (s: Store): Promise<number> =>
      s.update((tx) => {
        const next = (tx.data.denylist['n'] ?? 0) + 1;
        tx.put('denylist', 'n', next);
        return next;
      });
    const results = await Promise.all(stores.flatMap((s) => Array.from({ length: 20 }, () => bump(s))));
    assert.deepEqual(
      [...results].sort((x, y) => x - y),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    for (const s of stores) await refresh(s);
    assert.deepEqual(
      stores.map((s) => s.read().denylist['n']),
      [60, 60, 60],
    );
  });

  it('reruns a commit only when another process wrote a record its callbacks read', async () => {
    const ns = `http://records-${randomUUID()}`;
    const a = await open(ns);
    const b = await open(ns);
    await a.update((tx) => tx.put('users', 'x', user('x', 'one')));
    // b has not seen that commit. Writing another record: no conflict, one run.
    let runs = 0;
    await b.update((tx) => {
      runs++;
      tx.put('users', 'y', user('y'));
    });
    assert.equal(runs, 1);
    assert.deepEqual(Object.keys(b.read().users).sort(), ['x', 'y'], 'and b caught up on the way');
    // Reading a record another process changed since: rerun on the newer state.
    await a.update((tx) => tx.put('users', 'x', user('x', 'two')));
    runs = 0;
    const seen = await b.update((tx) => {
      runs++;
      const name = tx.data.users['x']?.name;
      tx.put('users', 'z', user('z', `after ${name}`));
      return name;
    });
    assert.deepEqual([runs, seen], [2, 'two']);
    // Listing a collection conflicts with any write to it.
    await a.update((tx) => tx.put('users', 'w', user('w')));
    runs = 0;
    const count = await b.update((tx) => {
      runs++;
      return Object.keys(tx.data.users).length;
    });
    assert.deepEqual([runs, count], [2, 4]);
  });

  it('redeems a code once across processes (a check-and-set, as the token endpoint does)', async () => {
    const ns = `http://code-${randomUUID()}`;
    const stores = [await open(ns), await open(ns), await open(ns)];
    await stores[0]!.update((tx) => tx.put('codes', 'c1', code(now() + 60)));
    const redeem = (s: Store, who: number): Promise<boolean> =>
      s.update((tx) => {
        const record = tx.data.codes['c1'];
        if (!record || record.redeemed_grant !== undefined) return false;
        tx.put('codes', 'c1', { ...record, redeemed_grant: `g${who}` });
        return true;
      });
    const outcomes = await Promise.all(Array.from({ length: 21 }, (_, i) => redeem(stores[i % 3]!, i)));
    assert.equal(outcomes.filter(Boolean).length, 1);
  });

  it('keeps its keys under oauth-mock:<issuer>: and lets Redis expire codes, grants and denylist entries', async () => {
    const ns = `http://ttl-${randomUUID()}`;
    const store = await open(ns);
    await store.update((tx) => {
      tx.put('codes', 'live', code(now() + 60));
      tx.put('grants', 'old', grant('old', now() - 3600));
      tx.put('denylist', 'jti', now() + 300);
      tx.put('sessions', 'sid', { user_id: 'alice', secret_digest: 'd', auth_time: now(), created_at: now(), expires_at: now() + 1800 });
    });
    const ttl = Number((await redis.command('TTL', `oauth-mock:${ns}:codes:live`)).slice(1));
    assert.ok(ttl > 60 && ttl <= 120, `code TTL ${ttl}: its expiry plus a minute`);
    const denyTtl = Number((await redis.command('TTL', `oauth-mock:${ns}:denylist:jti`)).slice(1));
    assert.ok(denyTtl > 300 && denyTtl <= 360, `denylist TTL ${denyTtl}`);
    const sessionTtl = Number((await redis.command('TTL', `oauth-mock:${ns}:sessions:sid`)).slice(1));
    assert.ok(sessionTtl > 1800 && sessionTtl <= 1860, `session TTL ${sessionTtl}`);
    assert.equal(await redis.command('EXISTS', `oauth-mock:${ns}:grants:old`), ':0\r\n', 'expired long ago: Redis dropped it');
    assert.equal(await redis.command('EXISTS', `oauth-mock:${ns}:grants`), ':0\r\n', 'and its index entry');
    const keys = (await redis.command('KEYS', `*${ns}*`))
      .split('\r\n')
      .filter((l) => l.startsWith('oauth-mock:'))
      .sort();
    assert.deepEqual(keys, [
      `oauth-mock:${ns}:codes`,
      `oauth-mock:${ns}:codes:live`,
      `oauth-mock:${ns}:denylist`,
      `oauth-mock:${ns}:denylist:jti`,
      `oauth-mock:${ns}:head`,
      `oauth-mock:${ns}:log`,
      `oauth-mock:${ns}:meta`,
      `oauth-mock:${ns}:sessions`,
      `oauth-mock:${ns}:sessions:sid`,
      `oauth-mock:${ns}:versions`,
    ]);
    // A fresh process loads only what Redis still holds.
    const other = await open(ns);
    assert.deepEqual(Object.keys(other.read().grants), []);
    assert.deepEqual(Object.keys(other.read().codes), ['live']);
    assert.deepEqual(Object.keys(other.read().sessions), ['sid']);
    assert.equal(await other.prune(now()), 0, 'nothing expired to drop from the mirror');
  });

  it('reloads a process that fell behind the trimmed log, or whose position Redis lost', async () => {
    const ns = `http://behind-${randomUUID()}`;
    const a = await open(ns);
    const b = await open(ns);
    await a.update((tx) => tx.put('users', 'u1', user('u1')));
    await redis.command('XTRIM', `oauth-mock:${ns}:log`, 'MAXLEN', '0');
    await a.update((tx) => tx.put('users', 'u2', user('u2')));
    await redis.command('XTRIM', `oauth-mock:${ns}:log`, 'MAXLEN', '0');
    await refresh(b);
    assert.deepEqual(Object.keys(b.read().users).sort(), ['u1', 'u2']);
    // The tag of the last commit no longer matches (as after a Redis that lost acknowledged writes).
    await redis.command('HSET', `oauth-mock:${ns}:head`, 'tag', 'other');
    await redis.command('HSET', `oauth-mock:${ns}:users`, 'u3', JSON.stringify(user('u3')));
    await redis.command('ZADD', `oauth-mock:${ns}:users:order`, '100', 'u3');
    await b.update((tx) => tx.put('users', 'u4', user('u4')));
    assert.deepEqual(Object.keys(b.read().users).sort(), ['u1', 'u2', 'u3', 'u4']);
  });

  it('answers temporarily_unavailable while Redis is down and recovers by itself, losing nothing acknowledged', async () => {
    const ns = `http://down-${randomUUID()}`;
    const a = await open(ns);
    const b = await open(ns);
    const written: string[] = [];
    for (let i = 0; i < 20; i++) {
      await a.update((tx) => tx.put('users', `u${i}`, user(`u${i}`)));
      written.push(`u${i}`);
    }
    await redis.kill();
    await assert.rejects(
      a.update((tx) => tx.put('users', 'lost', user('lost'))),
      (e) =>
        e instanceof TemporarilyUnavailable &&
        e.status === 503 &&
        /^the store \(Redis at redis:\/\/127\.0\.0\.1:\d+\/0\) is unreachable; retry shortly$/.test(e.message),
    );
    await assert.rejects(refresh(b), TemporarilyUnavailable);
    await redis.start();
    // Bounded: the client reconnects within about a second.
    let recovered = false;
    for (let i = 0; i < 100 && !recovered; i++) {
      try {
        await refresh(b);
        recovered = true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    assert.ok(recovered, 'refresh works again once Redis is back');
    for (const id of written) assert.ok(b.read().users[id], `${id} survived the restart`);
    await a.update((tx) => tx.put('users', 'after', user('after')));
    await refresh(b);
    assert.ok(b.read().users['after']);
  });

  it('fails to open with one line naming the address when Redis is unreachable', async () => {
    const port = await freePort();
    await assert.rejects(openRedisStore({ url: `redis://user:hunter2@127.0.0.1:${port}/0`, namespace: 'x' }), (error: Error) => {
      assert.equal(
        error.message,
        `cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}); start it, or point --store (or OAUTH_MOCK_STORE) at a running one`,
      );
      return true;
    });
    await assert.rejects(openRedisStore({ url: 'http://127.0.0.1:1/0', namespace: 'x' }), /is not a redis:\/\/ or rediss:\/\/ URL/);
  });
});
