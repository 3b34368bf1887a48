// Every terminal command against a Redis store (--store), in-process, on a real redis-server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('terminal commands with --store redis://', function () {
  this.timeout(30_000);
  const dirs = cliDirs();
  let redis: TestRedis;
  let cwd: string;
  let issuer: string;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    dirs.cleanup();
    await redis?.stop();
  });
  beforeEach(() => {
    cwd = dirs.make();
    issuer = `http://replicas-${randomUUID()}.test`;
  });
  const cli = (...argv: string[]) => runCli([...argv, '--store', redis.url(), '--issuer', issuer], { cwd });
  const ok = async (...argv: string[]) => {
    const res = await cli(...argv);
    assert.equal(res.code, 0, res.stderr);
    return res;
  };
  const json = async <T>(...argv: string[]): Promise<T> => JSON.parse((await ok(...argv, '--json')).stdout) as T;

  it('users and clients: add, list, show, update, remove, all kept in Redis under the issuer', async () => {
    assert.deepEqual(
      (await json<Array<{ id: string }>>('users', 'list')).map((u) => u.id),
      ['alice', 'bob'],
      'seeded from the fixtures',
    );
    await ok('users', 'add', 'carol', '--name', 'Carol');
    await ok('users', 'update', 'carol', '--email', 'carol@example.com');
    assert.deepEqual(await json<{ id: string; name: string; email: string }>('users', 'show', 'carol'), {
      ...(await json<Record<string, unknown>>('users', 'show', 'carol')),
      id: 'carol',
      name: 'Carol',
      email: 'carol@example.com',
    });
    const stored = await redis.command('HGET', `oauth-mock:${issuer}:users`, 'carol');
    assert.match(stored, /"email":"carol@example\.com"/);
    await ok('users', 'remove', 'bob');
    assert.deepEqual(
      (await json<Array<{ id: string }>>('users', 'list')).map((u) => u.id),
      ['alice', 'carol'],
    );
    const missing = await cli('users', 'show', 'bob');
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      new RegExp(`no user "bob" in redis://127\\.0\\.0\\.1:${redis.port}/0 \\(keys oauth-mock:${issuer.replace(/\./g, '\\.')}:\\*\\)`),
    );

    await ok('clients', 'add', 'web', '--redirect-uri', 'https://web.example/cb', '--scope', 'openid');
    assert.deepEqual((await json<Array<{ id: string }>>('clients', 'list')).map((c) => c.id).sort(), ['client_123', 'spa_public', 'web']);
    await ok('clients', 'remove', 'web');
    assert.deepEqual((await json<Array<{ id: string }>>('clients', 'list')).map((c) => c.id).sort(), ['client_123', 'spa_public']);
    // Another issuer on the same Redis is another store.
    const other = await runCli(['users', 'list', '--json', '--store', redis.url(), '--issuer', `${issuer}/other`], { cwd });
    assert.deepEqual(
      (JSON.parse(other.stdout) as Array<{ id: string }>).map((u) => u.id),
      ['alice', 'bob'],
    );
  });

  it('tokens: mint, verify, revoke, list; keys: list and rotate', async () => {
    const token = (await ok('tokens', 'mint', '--user', 'alice', '--kind', 'access', '--client', 'client_123')).stdout.trim();
    assert.equal((await cli('tokens', 'verify', token)).code, 0);
    const { claims: payload } = await json<{ claims: { iss: string; jti: string } }>('tokens', 'decode', token);
    assert.equal(payload.iss, issuer);
    await ok('tokens', 'revoke', token);
    const revoked = await cli('tokens', 'verify', token);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stdout + revoked.stderr, /revoked/);
    const listed = await json<{ denylist?: Array<{ jti: string }> }>('tokens', 'list');
    assert.ok(JSON.stringify(listed).includes(payload.jti), 'the denylisted jti is listed');
    const ttl = Number((await redis.command('TTL', `oauth-mock:${issuer}:denylist:${payload.jti}`)).slice(1));
    assert.ok(ttl > 3600 && ttl <= 3660, `Redis expires the denylist entry with the token (TTL ${ttl})`);

    await ok('keys', 'rotate', '--alg', 'ES256');
    const keys = await json<{ keys: Array<{ alg: string; status: string }> }>('keys', 'list');
    assert.ok(keys.keys.some((k) => k.alg === 'ES256' && k.status === 'active'));
  });

  it('config shows the store without its password; reset reseeds; env and config file name the store too', async () => {
    const config = await runCli(['config', '--json', '--store', `redis://user:hunter2@127.0.0.1:${redis.port}/0`, '--issuer', issuer], { cwd });
    assert.equal(config.code, 0, config.stderr);
    const settings = (JSON.parse(config.stdout) as { settings: Record<string, { value: unknown; source: string }> }).settings;
    assert.deepEqual(settings['store'], { value: `redis://127.0.0.1:${redis.port}/0`, source: 'flag' });
    assert.doesNotMatch(config.stdout, /hunter2/);

    await ok('users', 'add', 'temp');
    const reset = await ok('reset', '--yes', '--json');
    assert.deepEqual(JSON.parse(reset.stdout).users, ['alice', 'bob']);
    assert.deepEqual(
      (await json<Array<{ id: string }>>('users', 'list')).map((u) => u.id),
      ['alice', 'bob'],
    );

    await ok('users', 'add', 'viaenv');
    const env = await runCli(['users', 'list', '--json'], { cwd, env: { OAUTH_MOCK_STORE: redis.url(), OAUTH_MOCK_ISSUER: issuer } });
    assert.ok(
      (JSON.parse(env.stdout) as Array<{ id: string }>).some((u) => u.id === 'viaenv'),
      env.stderr,
    );
    writeFileSync(join(cwd, 'oauth-mock.config.json'), JSON.stringify({ store: redis.url(), issuer }));
    const file = await runCli(['users', 'list', '--json'], { cwd });
    assert.ok(
      (JSON.parse(file.stdout) as Array<{ id: string }>).some((u) => u.id === 'viaenv'),
      file.stderr,
    );
  });

  it('fails with one line when Redis is unreachable, and with a usage error for a URL that is not redis://', async () => {
    const port = await freePort();
    const down = await runCli(['users', 'list', '--store', `redis://127.0.0.1:${port}/0`], { cwd });
    assert.equal(down.code, 1);
    assert.equal(down.stdout, '');
    assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
    assert.match(down.stderr, new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/0 \\(connect ECONNREFUSED`));
    const bad = await runCli(['users', 'list', '--store', 'postgres://db/1'], { cwd });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--store: "postgres:\/\/db\/1" is not a redis:\/\/ or rediss:\/\/ URL \(a file store is chosen with --db\)/);
    const port0 = await runCli(['start', '--port', '0', '--store', redis.url()], { cwd });
    assert.equal(port0.code, 2);
    assert.match(port0.stderr, /with --store, --port 0 needs --issuer/);
  });
});
