// One store, two processes: the CLI adds users while the server issues tokens from the same file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAuthentic, parseRefreshToken } from '../../src/core/refresh-token.js';
import { createStore } from '../../src/store/index.js';
import { authorizeQuery, codeExchange } from '../helpers/bootstrap.js';
import { cliDirs, spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe('oauth-mock CLI and server writing one store at once (built binary)', function () {
  this.timeout(180_000);
  const dirs = cliDirs();
  let server: ServerProcess | undefined;
  after(async () => {
    await server?.stop();
    dirs.cleanup();
  });

  it('keeps all 50 users the CLI adds and every refresh token from 200 token requests, and the files parse', async () => {
    const cwd = dirs.make();
    const db = join(cwd, 'db.json');
    server = await startServerProcess(['--db', db, '--quiet'], { cwd });
    const url = server.url;
    const minted = await spawnCli(['tokens', 'mint', '--user', 'alice', '--ttl', '1h', '--db', db], { cwd });
    assert.equal(minted.code, 0, minted.stderr);
    const userToken = minted.stdout.trim();

    const cliAdds = pool(50, 4, async (i) => {
      const res = await spawnCli(['users', 'add', `qa-${i}`, '--name', `QA ${i}`, '--claim', `n=${i}`, '--db', db], { cwd });
      assert.equal(res.code, 0, `users add qa-${i}: ${res.stderr}`);
    });
    const tokenRequests = pool(200, 8, async () => {
      const auth = await fetch(`${url}/oauth/authorize?${authorizeQuery()}`, { headers: { Authorization: `Bearer ${userToken}` }, redirect: 'manual' });
      assert.equal(auth.status, 302);
      const code = new URL(auth.headers.get('location') as string).searchParams.get('code');
      const res = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(codeExchange(code)),
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { data: { refresh_token: string } }).data.refresh_token;
    });
    const [, refreshTokens] = await Promise.all([cliAdds, tokenRequests]);
    assert.equal(new Set(refreshTokens).size, 200);

    // The server sees the last user the CLI added on its next request.
    const lastToken = await spawnCli(['tokens', 'mint', '--user', 'qa-49', '--db', db], { cwd });
    const auth = await fetch(`${url}/oauth/authorize?${authorizeQuery()}`, {
      headers: { Authorization: `Bearer ${lastToken.stdout.trim()}` },
      redirect: 'manual',
    });
    assert.equal(auth.status, 302);

    assert.equal(await server.stop(), 0);
    server = undefined;

    // The snapshot and every journal line parse.
    JSON.parse(readFileSync(db, 'utf8'));
    let journal = '';
    try {
      journal = readFileSync(`${db}.log`, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of journal.split('\n').filter((l) => l !== '')) JSON.parse(line);

    const store = await createStore({ path: db });
    try {
      const data = store.read();
      for (let i = 0; i < 50; i++) assert.deepEqual(data.users[`qa-${i}`]?.claims, { n: i }, `user qa-${i}`);
      assert.equal(Object.keys(data.users).length, 52);
      for (const token of refreshTokens) {
        const parsed = parseRefreshToken(token);
        assert.ok(parsed, token);
        const grant = data.grants[parsed.grantId];
        assert.ok(grant && isAuthentic(grant, parsed) && grant.revoked_at === undefined, `grant of ${token}`);
      }
    } finally {
      await store.close();
    }
  });
});
