import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { listen } from '../../src/server.js';
import { createMemoryStore, createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { decodeJwt } from '../helpers/bootstrap.js';
import { codeFlow, getJson } from '../http/helpers.js';

describe("startOAuthMock({ store: 'redis://...' })", function () {
  this.timeout(30_000);
  let redis: TestRedis;
  const mocks: OAuthMock[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.allSettled(mocks.map((m) => m.stop()));
    await redis?.stop();
  });

  it('two mocks with one issuer share one state: users, codes and revocations', async () => {
    const issuer = `http://shared-${randomUUID()}.test`;
    const [a, b] = await Promise.all([
      startOAuthMock({ store: redis.url() as `redis://${string}`, issuer }),
      startOAuthMock({ store: { url: redis.url() }, issuer }),
    ]);
    mocks.push(a, b);
    assert.equal(a?.secret, b?.secret, 'one secret was generated, and both sign with it');
    await a.addUser({ id: 'carol', name: 'Carol' });
    assert.equal(decodeJwt(await b.mintToken({ user: 'carol' })).payload.sub, 'carol');
    const tokens = await codeFlow(a);
    const info = await getJson(b, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${tokens.access_token}` });
    assert.equal(info.status, 200);
    assert.equal(await b.revoke(tokens.access_token as string), 'access_token');
    const after = await getJson(a, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${tokens.access_token}` });
    assert.equal(after.status, 401);
  });

  it('runs no pruning timer on a Redis store (Redis expires records itself), unlike on a memory store', async () => {
    const prunes = async (store: Store): Promise<number> => {
      let calls = 0;
      const prune = store.prune.bind(store);
      store.prune = (now) => (calls++, prune(now));
      const server = await listen({ store, port: 0, host: '127.0.0.1', issuer: 'http://prune.test', pruneEveryMs: 10 });
      await sleep(200);
      await server.close();
      await store.close();
      return calls;
    };
    assert.equal(
      await prunes(await createStore({ url: redis.url(), namespace: `http://prune-${randomUUID()}.test` })),
      1,
      'only the one at start, which only trims the mirror',
    );
    assert.ok((await prunes(createMemoryStore())) > 2, 'the memory store is pruned on its timer');
  });

  it("answers 503 temporarily_unavailable in the active profile's format while Redis is down, then recovers", async () => {
    const own = await startRedis();
    try {
      const spec = await startOAuthMock({ store: own.url() as `redis://${string}`, issuer: 'http://spec.test' });
      const oidc = await startOAuthMock({ store: own.url() as `redis://${string}`, issuer: 'http://oidc.test', profile: 'oidc' });
      mocks.push(spec, oidc);
      const token = { grant_type: 'client_credentials' };
      const post = async (mock: OAuthMock) => {
        const res = await fetch(`${mock.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(token) });
        return { status: res.status, retry: res.headers.get('retry-after'), body: await res.json() };
      };
      await own.kill();
      const message = `the store (Redis at ${own.url()}) is unreachable; retry shortly`;
      assert.deepEqual(await post(spec), { status: 503, retry: '1', body: { success: false, error: { code: 'temporarily_unavailable', message } } });
      assert.deepEqual(await post(oidc), { status: 503, retry: '1', body: { error: 'temporarily_unavailable', error_description: message } });
      await own.start();
      // Bounded: the client reconnects within about a second.
      let status = 503;
      for (let i = 0; i < 100 && status === 503; i++) {
        status = (await post(spec)).status;
        if (status === 503) await sleep(100);
      }
      assert.notEqual(status, 503, 'recovered');
      assert.equal((await post(oidc)).status, status, 'both recovered, answering as before the outage');
    } finally {
      await own.stop();
    }
  });

  it('needs the issuer (or a fixed port), which names the keys, and a redis:// URL', async () => {
    await assert.rejects(startOAuthMock({ store: redis.url() as `redis://${string}` }), {
      name: 'RangeError',
      message: 'a Redis store needs `issuer` (or a fixed `port`): the issuer names its keys, so replicas must agree on it',
    });
    await assert.rejects(startOAuthMock({ store: { url: 'memcached://x' }, issuer: 'http://x.test' }), {
      name: 'RangeError',
      message: 'store: "memcached://x" is not a redis:// or rediss:// URL',
    });
  });
});
