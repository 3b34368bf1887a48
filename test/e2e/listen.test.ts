// listen() opens the port and attaches the request handler in the same tick: a request that
// arrives while start-up still waits (here, for the store lock another process holds) is
// answered, not left hanging on a socket with no handler.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { listen } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('listen() while start-up waits for the store lock', () => {
  it('answers requests that arrive before start-up finishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-listen-'));
    const path = join(dir, 'db.json');
    const store = await createStore({ path, seed: () => loadFixtures() });
    const port = await freePort();
    // Another process holds the lock, so listen() waits to record itself (its issuer) in the store.
    const release = await lockfile.lock(path, { realpath: false, stale: 10_000 });
    let released = false;
    const starting = listen({ store, port, host: '127.0.0.1', secret: 'a-secret-of-at-least-thirty-two-bytes!' });
    try {
      let res: Response | undefined;
      for (let i = 0; i < 200 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => {
          if (error.name === 'TimeoutError') throw new Error('a request during start-up was left hanging');
          return undefined;
        });
        if (!res) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(res?.status, 200);
      assert.equal(((await res?.json()) as { issuer: string }).issuer, `http://127.0.0.1:${port}`);
      await release();
      released = true;
      const server = await starting;
      // Recorded as a live server, so terminal-minted tokens carry its issuer.
      assert.deepEqual(
        store.read().meta.servers?.map((s) => s.issuer),
        [`http://127.0.0.1:${port}`],
      );
      await server.close();
    } finally {
      if (!released) await release();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
