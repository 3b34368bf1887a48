// oidc login sessions live in the store: a server restarted on the same file still knows the
// browser (prompt=none stays silent), and logout on one server is seen by the next.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listen, type RunningServer } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const ISSUER = 'http://oauth-mock.session-restart.test';
const QUERY = new URLSearchParams({
  response_type: 'code',
  client_id: 'client_123',
  redirect_uri: 'http://localhost:3000/callback',
  scope: 'openid',
  state: 's',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
}).toString();

const hidden = (html: string, name: string) =>
  (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');

describe('oidc sessions across a restart (file store)', () => {
  const dirs = tempDirs('oauth-mock-session-restart-');
  const open: { servers: RunningServer[]; stores: Store[] } = { servers: [], stores: [] };
  afterEach(async () => {
    for (const s of open.servers.splice(0)) await s.close();
    for (const s of open.stores.splice(0)) await s.close();
  });
  after(() => dirs.cleanup());

  async function boot(path: string): Promise<RunningServer> {
    const store = await createStore({ path, seed: () => loadFixtures() });
    open.stores.push(store);
    const server = await listen({ store, port: 0, host: '127.0.0.1', issuer: ISSUER, profile: 'oidc', login: 'page' });
    open.servers.push(server);
    return server;
  }
  async function stop(): Promise<void> {
    await open.servers.pop()?.close();
    await open.stores.pop()?.close();
  }
  const authorize = (server: RunningServer, cookie: string, extra = '') =>
    fetch(`${server.url}/oauth/authorize?${QUERY}${extra}`, { headers: { cookie }, redirect: 'manual' });

  it('signed in on one server, silent on the next; logged out on one, login_required on the next', async () => {
    const path = join(dirs.make(), 'db.json');
    let server = await boot(path);
    const page = await authorize(server, '');
    assert.equal(page.status, 200);
    const csrf = /oauth_mock_csrf=([\w-]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const html = await page.text();
    const login = await fetch(`${server.url}/oauth/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `oauth_mock_csrf=${csrf}` },
      body: new URLSearchParams({ csrf: hidden(html, 'csrf'), authorization_request: hidden(html, 'authorization_request'), user: 'bob' }).toString(),
    });
    assert.equal(login.status, 303);
    const session = /oauth_mock_session=([\w.-]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    assert.ok(session);
    const cookie = `oauth_mock_session=${session}`;

    await stop();
    server = await boot(path);
    const silent = await authorize(server, cookie, '&prompt=none');
    assert.equal(silent.status, 302);
    assert.match(silent.headers.get('location') ?? '', /^http:\/\/localhost:3000\/callback\?code=[\w-]{43}&state=s&iss=/);

    const out = await fetch(`${server.url}/oauth/logout?client_id=client_123`, { headers: { cookie } });
    const confirm = await out.text();
    const csrf2 = /oauth_mock_csrf=([\w-]+)/.exec(out.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const done = await fetch(`${server.url}/oauth/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; oauth_mock_csrf=${csrf2}` },
      body: new URLSearchParams({ csrf: hidden(confirm, 'csrf'), client_id: 'client_123', confirm: 'yes' }).toString(),
    });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /You are signed out/);

    await stop();
    server = await boot(path);
    const after = await authorize(server, cookie, '&prompt=none');
    assert.match(after.headers.get('location') ?? '', /[?&]error=login_required&/);
  });
});
