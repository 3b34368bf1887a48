// The built binary's browser sign-in under `--profile oidc`: the login page by default (the banner
// says where), or `--login auto` / OAUTH_MOCK_LOGIN=auto signing in at once.
import assert from 'node:assert/strict';
import { cliDirs, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

const QUERY = new URLSearchParams({
  response_type: 'code',
  client_id: 'client_123',
  redirect_uri: 'http://localhost:3000/callback',
  scope: 'openid',
  state: 's',
  login_hint: 'bob',
}).toString();

describe('oauth-mock start --profile oidc --login (built binary)', function () {
  this.timeout(60_000);
  const dirs = cliDirs();
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  after(() => dirs.cleanup());

  it('shows the login page by default, and the banner says where', async () => {
    server = await startServerProcess(['--profile', 'oidc', '--in-memory'], { cwd: dirs.make(), env: { NO_COLOR: '1' } });
    assert.match(server.output().stderr, new RegExp(`\\n  sign in: +the login page at ${server.url}/oauth/authorize\\n`));
    const res = await fetch(`${server.url}/oauth/authorize?${QUERY}`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await res.text(), /<button type="submit" class="user" name="user" value="bob" data-user="bob" autofocus>/);
  });

  for (const [name, args, env] of [
    ['--login auto', ['--login', 'auto'], {}],
    ['OAUTH_MOCK_LOGIN=auto', [], { OAUTH_MOCK_LOGIN: 'auto' }],
  ] as const) {
    it(`${name} signs in the login_hint user at once, with a session cookie`, async () => {
      server = await startServerProcess(['--profile', 'oidc', '--in-memory', '--quiet', ...args], { cwd: dirs.make(), env });
      const res = await fetch(`${server.url}/oauth/authorize?${QUERY}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.match(res.headers.get('location') ?? '', /^http:\/\/localhost:3000\/callback\?code=[\w-]{43}&state=s&iss=/);
      assert.match(res.headers.get('set-cookie') ?? '', /^oauth_mock_session=[\w-]{22}\.[\w-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    });
  }
});
