import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src/store/index.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';
import { startInProcess, type StartedInProcess } from '../helpers/start-in-process.js';

const dirs = cliDirs();

async function tokenStatus(url: string): Promise<number> {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await res.arrayBuffer();
  return res.status;
}

describe('oauth-mock start --control and oauth-mock control', () => {
  after(() => dirs.cleanup());

  describe('against a server with a store file', () => {
    let dir: string;
    let server: StartedInProcess;
    let ready: Record<string, unknown>;
    before(async () => {
      dir = dirs.make();
      server = startInProcess(['--port', '0', '--control', '--alg', 'RS256', '--ready-file', 'ready.json'], dir);
      ready = await server.ready;
    });
    after(async () => {
      const { code, stderr } = await server.stop();
      assert.equal(code, 0);
      assert.match(stderr, new RegExp(`\n {2}control {4}${String(ready.controlUrl)} \\(token: controlToken of the ready line; oauth-mock control --help\\)\n`));
      assert.ok(!stderr.includes(ready.controlToken as string), 'the banner and log never show the token');
      // Stopped: the store forgets the server (and its control token), and the ready file is gone.
      const { code: after } = await runCli(['control', 'status'], { cwd: dir });
      assert.equal(after, 1);
      assert.equal(existsSync(join(dir, 'ready.json')), false);
    });
    afterEach(async () => {
      assert.equal((await runCli(['control', 'reset'], { cwd: dir })).code, 0);
    });

    it('the ready line, the ready file and the store carry the control URL and token', async () => {
      const store = await createStore({ path: join(dir, '.oauth-mock', 'db.json') });
      try {
        assert.deepEqual(
          store.read().meta.servers?.map((s) => s.control),
          [{ url: ready.controlUrl, token: ready.controlToken }],
        );
      } finally {
        await store.close();
      }
      assert.equal(ready.controlUrl, `${ready.issuer as string}/_oauth-mock`);
      assert.match(ready.controlToken as string, /^[A-Za-z0-9_-]{43}$/);
      const file = JSON.parse(readFileSync(join(dir, 'ready.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(file, { url: ready.url, issuer: ready.issuer, pid: process.pid, controlUrl: ready.controlUrl, controlToken: ready.controlToken });
    });

    it('control status: found through the store (no flags), text or --json', async () => {
      const text = await runCli(['control', 'status'], { cwd: dir });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^clock {10}\S+ \(real time\)\nfaults {9}none\nmisbehaviours {2}none\nnext logins {4}none\n$/);
      const json = await runCli(['control', 'status', '--json'], { cwd: dir });
      const status = JSON.parse(json.stdout) as { clock: { offsetMs: number }; faults: unknown[] };
      assert.equal(status.clock.offsetMs, 0);
      assert.deepEqual(status.faults, []);
    });

    it('control clock advance 1h: tokens minted by the server are an hour ahead', async () => {
      const res = await runCli(['control', 'clock', 'advance', '1h', '--ready-file', 'ready.json', '--json'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      assert.equal((JSON.parse(res.stdout) as { clock: { offsetMs: number } }).clock.offsetMs, 3_600_000);
      const set = await runCli(['control', 'clock', 'set', '2030-01-01T00:00:00Z'], { cwd: dir });
      assert.equal(set.code, 0);
      assert.equal(set.stderr, '✓ clock set to 2030-01-01T00:00:00Z\n');
      assert.match((await runCli(['control', 'status'], { cwd: dir })).stdout, /^clock {10}2030-01-01T00:00:0\d\.\d{3}Z \(\+\d+ ms\)/);
    });

    it('control fail token --status 503 --times 2: two 503s, then the real answer', async () => {
      const res = await runCli(['control', 'fail', 'token', '--status', '503', '--times', '2', '--retry-after', '1'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stderr, '✓ token: the next 2 request(s) fail\n');
      assert.match((await runCli(['control', 'status'], { cwd: dir })).stdout, /\n {2}token: status 503 × 2\n/);
      assert.deepEqual(
        [await tokenStatus(ready.url as string), await tokenStatus(ready.url as string), await tokenStatus(ready.url as string)],
        [503, 503, 400],
      );
    });

    it('control misbehave id_token.wrong_issuer, and control login', async () => {
      const res = await runCli(['control', 'misbehave', 'id_token.wrong_issuer', '--times', '2'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      const login = await runCli(['control', 'login', 'bob', '--claim', 'acr=urn:mfa', '--json'], { cwd: dir });
      const status = JSON.parse(login.stdout) as { misbehaviours: unknown[]; logins: unknown[] };
      assert.deepEqual(status.misbehaviours, [{ name: 'id_token.wrong_issuer', remaining: 2 }]);
      assert.deepEqual(status.logins, [{ user: 'bob', claims: { acr: 'urn:mfa' } }]);
    });

    it('control reset clears everything', async () => {
      await runCli(['control', 'fail', 'jwks', '--drop'], { cwd: dir });
      await runCli(['control', 'clock', 'advance', '2d'], { cwd: dir });
      const res = await runCli(['control', 'reset', '--json'], { cwd: dir });
      assert.equal(res.code, 0);
      const status = JSON.parse(res.stdout) as { clock: { offsetMs: number }; faults: unknown[] };
      assert.deepEqual([status.clock.offsetMs, status.faults], [0, []]);
    });

    it('usage mistakes exit 2 before anything is sent', async () => {
      const cases: [string[], RegExp][] = [
        [['control', 'clock', 'advance', 'soon'], /cannot read duration "soon"/],
        [['control', 'fail', 'nowhere', '--status', '503'], /endpoint must be one of authorize, token/],
        [['control', 'fail', 'token', '--status', 'x'], /--status must be a whole number; got x/],
        [['control', 'fail', 'token'], /a fault needs status, error, body, drop or delayMs/],
        [['control', 'misbehave', 'id_token.late'], /unknown misbehaviour "id_token.late"/],
        [['control', 'status', '--url', 'http://127.0.0.1:1/_oauth-mock'], /give both --url and --token/],
      ];
      for (const [argv, message] of cases) {
        const res = await runCli(argv, { cwd: dir });
        assert.equal(res.code, 2, argv.join(' '));
        assert.match(res.stderr, message);
        assert.equal(res.stdout, '');
      }
      assert.match((await runCli(['control', 'status'], { cwd: dir })).stdout, /faults {9}none/);
    });

    it('a wrong token: exit 1, the server refused with 401, and what to do', async () => {
      const res = await runCli(['control', 'clock', 'advance', '1h', '--url', ready.controlUrl as string, '--token', 'wrong'], { cwd: dir });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /^error: the server refused \(401\): this is not the control token of this server.*read it again from its ready line\)\n$/);
      assert.match((await runCli(['control', 'status'], { cwd: dir })).stdout, /\(real time\)/);
    });
  });

  describe('without a server, or without --control', () => {
    it('no server: exit 1 saying how to start one', async () => {
      const dir = dirs.make();
      const res = await runCli(['control', 'status', '--in-memory'], { cwd: dir });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /no server with test control uses this store; start one with oauth-mock start --control, or pass --ready-file/);
      const missing = await runCli(['control', 'status', '--ready-file', 'nope.json'], { cwd: dir });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /cannot read the ready file .*nope\.json \(ENOENT\); is the server running\?/);
    });

    it('a server without --control: its ready line has no token, and the API is 404', async () => {
      const dir = dirs.make();
      const server = startInProcess(['--port', '0', '--quiet', '--in-memory', '--ready-file', 'ready.json'], dir);
      try {
        const ready = await server.ready;
        assert.equal(ready.controlToken, undefined);
        const viaFile = await runCli(['control', 'status', '--ready-file', 'ready.json'], { cwd: dir });
        assert.equal(viaFile.code, 1);
        assert.match(viaFile.stderr, /runs without test control; restart it with oauth-mock start --control/);
        const direct = await runCli(['control', 'reset', '--url', `${ready.url as string}/_oauth-mock`, '--token', 'x'], { cwd: dir });
        assert.equal(direct.code, 1);
        assert.match(direct.stderr, /the server refused \(404\): .*\(the server runs without --control\)/);
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    });
  });
});
