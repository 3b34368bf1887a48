import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServerProcess } from '../helpers/run-cli.js';

const BIN = new URL('../../bin/oauth-mock.js', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns the built binary and waits for its banner (`listening on <url>`). */
function startBinary(args: string[], cwd: string): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) resolve({ child, url: match[1], stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${err}`)));
  });
}

describe('oauth-mock start (the built binary)', function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-e2e-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves discovery, logs each request, and stops cleanly on SIGTERM with the store on disk', async () => {
    const started = await startBinary([], dir);
    const res = await fetch(`${started.url}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { issuer: string; token_endpoint: string };
    assert.equal(doc.issuer, started.url);
    assert.equal(doc.token_endpoint, `${started.url}/oauth/token`);
    assert.match(started.stderr(), /store +.*\.oauth-mock\/db\.json/);
    assert.match(started.stderr(), /clients +client_123, spa_public/);
    started.child.kill('SIGTERM');
    assert.equal(await started.exited, 0);
    assert.match(started.stderr(), /GET \/\.well-known\/openid-configuration 200 /);
    const stored = JSON.parse(readFileSync(join(dir, '.oauth-mock', 'db.json'), 'utf8')) as { data?: unknown };
    assert.ok(stored, 'the store file parses');
  });

  it('seeds a new store from --fixtures, keeps it across restarts, reseeds it with --reset; stops on SIGINT', async () => {
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'users.json'), JSON.stringify([{ id: 'zoe', name: 'Zoe' }]));
    writeFileSync(
      join(dir, 'mine', 'clients.json'),
      JSON.stringify([{ id: 'app', public: true, redirect_uris: ['http://localhost:3000/cb'], scopes: ['openid'] }]),
    );
    const seeded = await startBinary(['--fixtures', 'mine'], dir);
    assert.match(seeded.stderr(), /users +zoe\n/);
    assert.match(seeded.stderr(), /clients +app\n/);
    seeded.child.kill('SIGINT');
    assert.equal(await seeded.exited, 0);

    // An existing store is not reseeded: the fixtures only fill a new one.
    const kept = await startBinary([], dir);
    assert.match(kept.stderr(), /users +zoe\n/);
    kept.child.kill('SIGTERM');
    assert.equal(await kept.exited, 0);

    const reset = await startBinary(['--reset'], dir);
    assert.match(reset.stderr(), /users +alice, bob\n/);
    assert.match(reset.stderr(), /clients +client_123, spa_public\n/);
    reset.child.kill('SIGTERM');
    assert.equal(await reset.exited, 0);
  });

  it('answers a port already in use with one line and exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [BIN, 'start', '--port', String(port)], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.equal(err.trim().split('\n').length, 1, `expected one line, got: ${err}`);
      assert.match(err, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.doesNotMatch(err, /\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses a secret shorter than 32 bytes with a usage error (exit 2)', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--secret', 'short'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /at least 32 bytes/);
  });
});

describe('oauth-mock start --quiet (the built binary)', () => {
  it('prints only the ready line on stdout: no banner and no request log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-e2e-'));
    try {
      const server = await startServerProcess(['--quiet', '--in-memory'], { cwd: dir });
      assert.equal((await fetch(`${server.url}/.well-known/jwks.json`)).status, 200);
      assert.equal((await fetch(`${server.url}/nope`)).status, 404);
      assert.equal(await server.stop(), 0);
      const { stdout, stderr } = server.output();
      assert.equal(stderr, '');
      const lines = stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      assert.deepEqual(Object.keys(JSON.parse(lines[0] ?? '') as object).sort(), ['event', 'issuer', 'pid', 'url']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
