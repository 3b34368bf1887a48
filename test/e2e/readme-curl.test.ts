// README's "The seed's example flow with curl" must work as written: this test takes the
// authorize URL and the token request body from README.md itself and replays them against
// the built binary, so the documentation cannot drift from the server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cliDirs, spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';
import { freePort } from './helpers.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf("## The seed's example flow with curl"), README.indexOf('## Endpoints'));
const README_ORIGIN = 'http://127.0.0.1:9400';

function fromReadme(pattern: RegExp, what: string): string {
  const match = pattern.exec(section);
  assert.ok(match?.[1], `README no longer shows ${what}`);
  return match[1];
}

describe("README: the seed's example flow with curl", () => {
  const dirs = cliDirs();
  let server: ServerProcess;
  let cwd: string;
  before(async () => {
    cwd = dirs.make();
    server = await startServerProcess(['--quiet'], { cwd });
  });
  after(async () => {
    await server.stop();
    dirs.cleanup();
  });

  it('waits until the server listens before the first request, so the block works pasted whole', async () => {
    const lines = fromReadme(/```sh\n([\s\S]*?)```/, 'the sh block').split('\n');
    assert.match(lines[0] ?? '', /^npm start &/);
    const wait = lines[1] ?? '';
    assert.match(wait, /^until curl [^;]*http:\/\/127\.0\.0\.1:9400\/[^;]*; do sleep [\d.]+; done/, 'the line after the background start waits for it');
    // Run that very line against a port where nothing listens yet, then start the server there.
    const port = await freePort();
    const waiter = spawn('bash', ['-c', `${wait.replaceAll(README_ORIGIN, `http://127.0.0.1:${port}`)}\necho ready`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    waiter.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const waited = new Promise<number | null>((resolve) => waiter.once('exit', resolve));
    let late: ServerProcess | undefined;
    try {
      const early = await Promise.race([waited.then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
      assert.equal(early, 'waiting', 'it does not go on while nothing listens');
      // A later --port wins over the helper's --port 0.
      late = await startServerProcess(['--quiet', '--in-memory', '--port', String(port)], { cwd });
      assert.equal(await waited, 0);
      assert.equal(out, 'ready\n');
    } finally {
      if (waiter.exitCode === null) waiter.kill('SIGKILL');
      await late?.stop();
    }
  });

  it('mint, authorize, token and userinfo work exactly as README shows them', async () => {
    assert.match(section, /tokens mint --user alice\)/);
    const minted = await spawnCli(['tokens', 'mint', '--user', 'alice'], { cwd });
    assert.equal(minted.code, 0, minted.stderr);
    const userToken = minted.stdout.trim();

    const authorizeUrl = fromReadme(/'(http:\/\/127\.0\.0\.1:9400\/oauth\/authorize\?[^']+)'/, 'the authorize URL');
    const authorized = await fetch(authorizeUrl.replace(README_ORIGIN, server.url), {
      headers: { Authorization: `Bearer ${userToken}` },
      redirect: 'manual',
    });
    assert.equal(authorized.status, 302);
    const location = new URL(authorized.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'https://client.example.com/callback');
    assert.equal(location.searchParams.get('state'), 'xyz123');
    const code = location.searchParams.get('code');
    assert.ok(code);

    const body = fromReadme(/-d '(\{[\s\S]+?\})'/, 'the token request body').replace('<code from the Location header>', code);
    const tokenRes = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.equal(tokenRes.status, 200);
    const tokens = (await tokenRes.json()) as { success: boolean; data: { access_token: string; id_token?: string; refresh_token?: string } };
    assert.equal(tokens.success, true);
    assert.ok(tokens.data.id_token && tokens.data.refresh_token);

    assert.match(section, /oauth\/userinfo -H "Authorization: Bearer <access_token>"/);
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { Authorization: `Bearer ${tokens.data.access_token}` } });
    assert.equal(userinfo.status, 200);
    const info = (await userinfo.json()) as { data: { sub: string; email: string } };
    assert.equal(info.data.sub, 'alice');
    assert.equal(info.data.email, 'alice@example.com');
  });
});
