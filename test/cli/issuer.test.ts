// The issuer: byte-exact as given (items of issue "drifting issuer"), refused when it cannot be
// one, and — with servers on the store — the one `tokens mint` signs for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { startOAuthMock } from '../../src/index.js';
import { listen } from '../../src/server.js';
import { createStore } from '../../src/store/index.js';
import { freePort, portOpen } from '../e2e/helpers.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

interface Started {
  ready: Promise<{ url: string; issuer: string; pid: number }>;
  stderr(): string;
  stop(): Promise<number>;
}

/** `oauth-mock start` in-process with its own stop signal and pid. */
function start(argv: string[], cwd: string, pid: number): Started {
  const stopper = new AbortController();
  let stdout = '';
  let stderr = '';
  let onReady: (line: string) => void = () => {};
  const ready = new Promise<string>((resolve) => (onReady = resolve));
  const exited = run(['start', '--quiet', ...argv], {
    stdout: (text) => {
      stdout += text;
      if (stdout.includes('\n')) onReady(stdout.split('\n')[0] as string);
    },
    stderr: (text) => void (stderr += text),
    env: {},
    cwd,
    color: false,
    interactive: false,
    stopSignal: stopper.signal,
    pid,
  });
  return {
    ready: Promise.race([
      ready.then((l) => JSON.parse(l) as { url: string; issuer: string; pid: number }),
      exited.then((code) => Promise.reject(new Error(`exited ${code}: ${stderr}`))),
    ]),
    stderr: () => stderr,
    async stop() {
      stopper.abort();
      return exited;
    },
  };
}

const issOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { iss: string }).iss;

describe('the issuer', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  describe('is refused with exit 2 when it cannot be one', () => {
    for (const issuer of [
      'not-a-url',
      '127.0.0.1:9400',
      'localhost:9400',
      '',
      'ftp://127.0.0.1',
      'http://127.0.0.1:9400/?a=b',
      'http://127.0.0.1:9400/#f',
      'http://127.0.0.1:9400?',
    ]) {
      it(`${JSON.stringify(issuer)} (start, config and tokens mint)`, async () => {
        const cwd = dirs.make();
        for (const argv of [['start', '--port', '0', '--in-memory'], ['config'], ['tokens', 'mint', '--user', 'alice', '--in-memory']]) {
          const res = await runCli([...argv, '--issuer', issuer], { cwd });
          assert.equal(res.code, 2, `${argv.join(' ')}: ${res.stderr}`);
          assert.match(res.stderr, /^error: --issuer "[^\n]*" (is not an http\(s\) URL|must not have a (query|fragment))[^\n]*\n$/);
        }
        const env = await runCli(['config'], { cwd, env: { OAUTH_MOCK_ISSUER: 'not-a-url' } });
        assert.equal(env.code, 2);
        assert.match(env.stderr, /^error: OAUTH_MOCK_ISSUER "not-a-url" is not an http\(s\) URL/);
      });
    }
  });

  // Item 1 of the same issue: every option is checked before the port is bound.
  for (const basePath of ['a b', '/auth?x=1', '/auth#f', '/a/../b', '/50%']) {
    it(`refuses --base-path ${JSON.stringify(basePath)} with exit 2 (start, and startOAuthMock with a RangeError)`, async () => {
      const res = await runCli(['start', '--port', '0', '--in-memory', '--base-path', basePath], { cwd: dirs.make() });
      assert.equal(res.code, 2, res.stderr);
      assert.equal(
        res.stderr,
        `error: --base-path ${JSON.stringify(basePath)} is not a URL path prefix such as /auth (segments of letters, digits and - . _ ~; no query, fragment, space or dot segment)\n`,
      );
      await assert.rejects(startOAuthMock({ basePath }), { name: 'RangeError', message: /^basePath "/ });
    });
  }

  it('listen() closes the port again when start-up fails after binding', async () => {
    const store = await createStore({ path: join(dirs.make(), 'db.json') });
    // Keys and secret first, through the working store; then every commit fails.
    await listen({ store, port: 0, host: '127.0.0.1' }).then((s) => s.close());
    const failing: typeof store = {
      path: store.path,
      read: () => store.read(),
      prune: (n) => store.prune(n),
      replace: (d) => store.replace(d),
      close: () => store.close(),
      update: () => Promise.reject(new Error('disk gone')),
    };
    const port = await freePort();
    await assert.rejects(listen({ store: failing, port, host: '127.0.0.1' }), /disk gone/);
    assert.equal(await portOpen(port), false, 'the port was released');
    await store.close();
  });

  it('is kept byte for byte, trailing slash included, in tokens, discovery and the ready line', async () => {
    const cwd = dirs.make();
    const db = join(cwd, 'db.json');
    for (const [issuer, root] of [
      ['http://127.0.0.1:9400/', ''],
      ['http://127.0.0.1:9400/tenant-a/', '/tenant-a'],
    ] as const) {
      const server = start(['--port', '0', '--db', db, '--issuer', issuer], cwd, process.pid);
      const ready = await server.ready;
      try {
        assert.equal(ready.issuer, issuer);
        // OIDC Discovery §4: a terminating "/" is removed before /.well-known is appended.
        const res = await fetch(`${ready.url}${root}/.well-known/openid-configuration`);
        assert.equal(res.status, 200);
        const doc = (await res.json()) as Record<string, string>;
        assert.equal(doc.issuer, issuer);
        assert.equal(doc.token_endpoint, `${new URL(issuer).origin}${root}/oauth/token`);
        const minted = await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd });
        assert.equal(minted.code, 0, minted.stderr);
        assert.equal(issOf(minted.stdout.trim()), issuer);
        const authorize = await fetch(
          `${ready.url}${root}/oauth/authorize?response_type=code&client_id=client_123&redirect_uri=https://client.example.com/callback&state=s`,
          {
            headers: { authorization: `Bearer ${minted.stdout.trim()}` },
            redirect: 'manual',
          },
        );
        assert.equal(authorize.status, 302);
        assert.equal(new URL(authorize.headers.get('location') as string).searchParams.get('iss'), issuer);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    }
  });

  describe('with servers on the store (tokens mint and config)', () => {
    it('mints for the live server, asks for --issuer with two, and falls back to the configured issuer with none', async () => {
      const cwd = dirs.make();
      const db = join(cwd, 'db.json');
      const first = start(['--port', '0', '--db', db, '--issuer', 'http://first.test'], cwd, process.pid);
      await first.ready;
      const mintIss = async () => {
        const res = await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd });
        return res.code === 0 ? issOf(res.stdout.trim()) : res;
      };
      assert.equal(await mintIss(), 'http://first.test');
      const config = await runCli(['config', '--db', db, '--json'], { cwd });
      assert.deepEqual((JSON.parse(config.stdout) as { settings: { issuer: unknown } }).settings.issuer, {
        value: 'http://first.test',
        source: 'live server',
        from: `pid ${process.pid} at ${(await first.ready).url}`,
      });

      // A one-off second server on the same store: noted, and it does not take over.
      const second = start(['--port', '0', '--db', db], cwd, process.pid);
      const secondUrl = (await second.ready).url;
      assert.equal(
        second.stderr(),
        `note: ${db} is also served by pid ${process.pid} at ${(await first.ready).url}; while both run, tokens mint asks for --issuer\n`,
      );
      const ambiguous = await mintIss();
      assert.deepEqual(ambiguous, {
        code: 2,
        stdout: '',
        stderr: `error: 2 servers serve this store; say which one the token is for:\n  --issuer http://first.test   (pid ${process.pid}, ${(await first.ready).url})\n  --issuer ${secondUrl}   (pid ${process.pid}, ${secondUrl})\n`,
      });
      const chosen = await runCli(['tokens', 'mint', '--user', 'alice', '--db', db, '--issuer', secondUrl], { cwd });
      assert.equal(issOf(chosen.stdout.trim()), secondUrl);

      assert.equal(await second.stop(), 0);
      assert.equal(await mintIss(), 'http://first.test', 'the first server is the live one again');
      assert.equal(await first.stop(), 0);
      assert.equal(await mintIss(), 'http://127.0.0.1:9400', 'none live: the configured (default) issuer');
      const none = await runCli(['config', '--db', db, '--json'], { cwd });
      assert.deepEqual((JSON.parse(none.stdout) as { settings: { issuer: unknown } }).settings.issuer, {
        value: 'http://127.0.0.1:9400',
        source: 'default',
        from: 'host and port',
      });
    });

    it('ignores the record of a server whose process is gone (kill -9)', async () => {
      const cwd = dirs.make();
      const db = join(cwd, 'db.json');
      const child = spawn(process.execPath, ['-e', '']);
      const deadPid = await new Promise<number>((resolve) => child.once('exit', () => resolve(child.pid as number)));
      const server = start(['--port', '0', '--db', db, '--issuer', 'http://dead.test'], cwd, deadPid);
      await server.ready;
      // Its process is "gone" from the start: its record counts for nothing.
      const res = await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd, env: { OAUTH_MOCK_ISSUER: 'http://configured.test' } });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(issOf(res.stdout.trim()), 'http://configured.test');
      assert.equal(await server.stop(), 0);
    });
  });
});
