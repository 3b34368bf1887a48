// Runs README's "Running replicas" block, in order, on free ports: redis-server, three replicas
// of the built binary (`npm run build` first), the terminal command, and HAProxy with README's
// haproxy.cfg; then runs a code flow through HAProxy and checks that the three replicas served it
// from one state. Everything started here is killed in `after`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED } from '../helpers/bootstrap.js';
import { freePort } from '../helpers/redis-server.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));

/** The first ```<lang> block after the heading. */
function block(heading: string, lang: string): string {
  const markdown = readFileSync(README, 'utf8');
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`));
  const match = new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!match?.[1]) throw new Error(`no ${lang} block under ${heading}`);
  return match[1];
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
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    dirs.cleanup();
  });

  it('every line runs, and a code flow through HAProxy is served by all three replicas from one state', async () => {
    const lines = block('## Running replicas', 'sh')
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.equal(lines.length, 6);
    const cwd = dirs.make();
    // The README's ports, each swapped for a free one.
    const ports = new Map<string, string>();
    for (const port of ['6379', '8080', '9401', '9402', '9403']) ports.set(port, String(await freePort()));
    const local = (text: string): string => text.replace(/\b(6379|8080|9401|9402|9403)\b/g, (p) => ports.get(p) as string);
    writeFileSync(join(cwd, 'haproxy.cfg'), local(block('## Running replicas', 'haproxy')));
    const logs: string[] = [];
    const spawnLogged = (cmd: string, args: string[], ready: string): Promise<void> => {
      const child = spawn(cmd, args, { cwd, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const log = logs.push('') - 1;
      const add = (chunk: Buffer): void => void (logs[log] += chunk.toString());
      child.stdout.on('data', add);
      child.stderr.on('data', add);
      return until(`${cmd} ${args.join(' ')} to be ready`, () => (logs[log] as string).includes(ready) || child.exitCode !== null).then(() => {
        if (child.exitCode !== null) throw new Error(`${cmd} exited ${child.exitCode}: ${logs[log]}`);
      });
    };
    const replicaLogs: number[] = [];
    for (const line of lines) {
      const argv = local(line).split(' ').filter(Boolean);
      if (argv[0] === 'redis-server') await spawnLogged('redis-server', argv.slice(1), 'Ready to accept connections');
      else if (argv[0] === 'haproxy') {
        await spawnLogged('haproxy', argv.slice(1), '');
        await until(
          'HAProxy to answer',
          async () => (await fetch(`http://127.0.0.1:${ports.get('8080')}/.well-known/openid-configuration`).catch(() => undefined))?.status === 200,
        );
      } else if (argv[1] === 'start') {
        replicaLogs.push(logs.length);
        await spawnLogged(process.execPath, [BIN, ...argv.slice(1)], '"event":"ready"');
      } else {
        assert.equal(argv[0], 'oauth-mock', line);
        const res = await runCli(argv.slice(1), { cwd });
        assert.equal(res.code, 0, `${line}\n${res.stderr}`);
      }
    }
    assert.equal(replicaLogs.length, 3);

    // The whole flow through the load balancer, as carol (added from the terminal).
    const lb = `http://127.0.0.1:${ports.get('8080')}`;
    const store = ['--store', `redis://127.0.0.1:${ports.get('6379')}/0`, '--issuer', 'https://auth.test.example'];
    const token = await runCli(['tokens', 'mint', '--user', 'carol', ...store], { cwd });
    assert.equal(token.code, 0, token.stderr);
    const doc = (await (await fetch(`${lb}/.well-known/openid-configuration`)).json()) as { issuer: string };
    assert.equal(doc.issuer, 'https://auth.test.example');
    const post = async (path: string, body: Record<string, string>) => {
      const res = await fetch(`${lb}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, client_id: SEED.clientId, client_secret: SEED.secret }),
      });
      return { status: res.status, body: (await res.json()) as { data?: Record<string, string>; error?: { code: string } } };
    };
    let refreshToken = '';
    let accessToken = '';
    for (let i = 0; i < 2; i++) {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: SEED.clientId,
        redirect_uri: SEED.redirectUri,
        scope: 'openid',
        state: 's',
        code_challenge: SEED.challenge,
        code_challenge_method: 'S256',
      });
      const authz = await fetch(`${lb}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${token.stdout.trim()}` }, redirect: 'manual' });
      assert.equal(authz.status, 302);
      const code = new URL(authz.headers.get('location') as string).searchParams.get('code') as string;
      const issued = await post('/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: SEED.redirectUri, code_verifier: SEED.verifier });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      refreshToken = issued.body.data?.['refresh_token'] as string;
    }
    for (let i = 0; i < 3; i++) {
      const refreshed = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      [refreshToken, accessToken] = [refreshed.body.data?.['refresh_token'] as string, refreshed.body.data?.['access_token'] as string];
    }
    const info = await fetch(`${lb}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(((await info.json()) as { data: { sub: string } }).data.sub, 'carol');
    assert.equal((await post('/oauth/revoke', { token: accessToken })).status, 200);
    for (let i = 0; i < 3; i++) {
      const after = await fetch(`${lb}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(after.status, 401, 'revoked on one replica, refused by every one');
    }
    // Round robin: every replica answered part of the flow (health checks aside).
    for (const i of replicaLogs) assert.match(logs[i] as string, / (GET|POST) \/oauth\//, `replica log:\n${logs[i]}`);
  });
});
