// The built binary: a user and a client added from the terminal work for a running server at once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cliDirs, spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

const REDIRECT = 'http://localhost:4000/cb';
const VERIFIER = 'a'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

describe('oauth-mock CLI beside a running server (built binary)', function () {
  this.timeout(60_000);
  const dirs = cliDirs();
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  after(() => dirs.cleanup());

  it('adds a user and a client from the CLI, then runs authorize + token + userinfo for them with no restart', async () => {
    const cwd = dirs.make();
    const db = join(cwd, 'db.json');
    server = await startServerProcess(['--db', db], { cwd });
    const cli = async (...argv: string[]) => {
      const res = await spawnCli([...argv, '--db', db], { cwd });
      assert.equal(res.code, 0, `${argv.join(' ')}: ${res.stderr}`);
      return res.stdout.trim();
    };

    await cli('users', 'add', 'carol', '--name', 'Carol', '--email', 'carol@example.com', '--claim', 'roles=["qa"]');
    const secret = await cli('clients', 'add', 'web', '--redirect-uri', REDIRECT, '--scope', 'openid profile email');
    assert.match(secret, /^[\w-]{43}$/);
    const userToken = await cli('tokens', 'mint', '--user', 'carol');

    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'web',
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      state: 's1',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
    });
    const auth = await fetch(`${server.url}/oauth/authorize?${query.toString()}`, { headers: { Authorization: `Bearer ${userToken}` }, redirect: 'manual' });
    assert.equal(auth.status, 302);
    const location = new URL(auth.headers.get('location') as string);
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 's1');
    const code = location.searchParams.get('code');
    assert.ok(code);

    const token = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: VERIFIER,
        client_id: 'web',
        client_secret: secret,
      }),
    });
    assert.equal(token.status, 200);
    const body = (await token.json()) as {
      success: boolean;
      data: { access_token: string; refresh_token: string; id_token: string; scope: string; token_type: string };
    };
    assert.equal(body.success, true);
    assert.deepEqual([body.data.token_type, body.data.scope], ['Bearer', 'openid profile email']);
    assert.ok(body.data.refresh_token && body.data.id_token);

    const info = await fetch(`${server.url}/oauth/userinfo`, { headers: { Authorization: `Bearer ${body.data.access_token}` } });
    assert.equal(info.status, 200);
    const claims = ((await info.json()) as { data: Record<string, unknown> }).data;
    assert.deepEqual([claims.sub, claims.name, claims.email, claims.roles], ['carol', 'Carol', 'carol@example.com', ['qa']]);

    // And the other way round: the CLI sees what the server issued, and a CLI revoke takes effect at once.
    const verified = JSON.parse(await cli('tokens', 'verify', body.data.access_token, '--json')) as { valid: boolean };
    assert.equal(verified.valid, true);
    await cli('tokens', 'revoke', body.data.refresh_token);
    const after = await fetch(`${server.url}/oauth/userinfo`, { headers: { Authorization: `Bearer ${body.data.access_token}` } });
    assert.equal(after.status, 401);

    assert.equal(await server.stop(), 0);
  });
});
