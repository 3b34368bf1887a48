// Runs README's "Running replicas" block, in order, on free ports: redis-server, three replicas
// of the built binary (`npm run build` first), then the terminal command; then checks that the
// three serve one state. Everything started here is killed in `after`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED } from '../helpers/bootstrap.js';
import { freePort } from '../helpers/redis-server.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));

function block(heading: string): string[] {
  const markdown = readFileSync(README, 'utf8');
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no sh block under ${heading}`);
  return match[1].split('\n').filter((l) => l.trim() !== '');
}

/** Waits (bounded) until `test()` holds, checking every 50 ms. */
async function until(what: string, test: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (await test()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('README "Running replicas"', function () {
  this.timeout(60_000);
  const dirs = cliDirs();
  const children: ChildProcess[] = [];
  after(async () => {
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })));
    dirs.cleanup();
  });

  it('every line runs, and the three replicas serve one state', async () => {
    const lines = block('## Running replicas');
    assert.equal(lines.length, 5);
    const cwd = dirs.make();
    // The README's ports, each swapped for a free one.
    const ports = new Map<string, string>();
    for (const port of ['6379', '9401', '9402', '9403']) ports.set(port, String(await freePort()));
    const local = (line: string): string[] => line.replace(/\b(6379|9401|9402|9403)\b/g, (p) => ports.get(p) as string).split(' ').filter(Boolean);
    const replicas: string[] = [];
    for (const line of lines) {
      const argv = local(line);
      if (argv[0] === 'redis-server') {
        const redis = spawn('redis-server', argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(redis);
        let out = '';
        redis.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        await until('redis-server to be ready', () => out.includes('Ready to accept connections'));
      } else if (argv[1] === 'start') {
        const child = spawn(process.execPath, [BIN, ...argv.slice(1)], { cwd, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.resume();
        await until(`${line} to be ready`, () => out.includes('"event":"ready"'));
        replicas.push(`http://127.0.0.1:${argv[argv.indexOf('--port') + 1]}`);
      } else {
        assert.equal(argv[0], 'oauth-mock', line);
        const res = await runCli(argv.slice(1), { cwd });
        assert.equal(res.code, 0, `${line}\n${res.stderr}`);
      }
    }
    assert.equal(replicas.length, 3);
    const store = ['--store', `redis://127.0.0.1:${ports.get('6379')}/0`, '--issuer', 'https://auth.test.example'];
    const token = await runCli(['tokens', 'mint', '--user', 'carol', ...store], { cwd });
    assert.equal(token.code, 0, token.stderr);
    const query = new URLSearchParams({
      response_type: 'code', client_id: SEED.clientId, redirect_uri: SEED.redirectUri, scope: 'openid', state: 's',
      code_challenge: SEED.challenge, code_challenge_method: 'S256',
    });
    for (const url of replicas) {
      const doc = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { issuer: string };
      assert.equal(doc.issuer, 'https://auth.test.example');
      const res = await fetch(`${url}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${token.stdout.trim()}` }, redirect: 'manual' });
      assert.equal(res.status, 302, `${url} knows carol, added from the terminal`);
    }
  });
});
