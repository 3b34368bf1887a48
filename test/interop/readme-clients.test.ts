// README "Connecting your app" stays true: its commands register the clients; the openid-client
// app runs as written (only the issuer and its port are moved) and signs alice in; the Auth.js and
// Spring snippets name the issuer, a registered client, its secret and the redirect URI each
// framework sends.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair } from 'jose';
import { findClient } from '../../src/core/lookup.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { openFileStore } from '../../src/store/file-store.js';
import type { OAuthMock } from '../../src/index.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';
import { startOidcMock } from './helpers.js';

const require = createRequire(import.meta.url);
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const DEFAULT_ISSUER = 'http://127.0.0.1:9400';

function section(): string {
  const start = README.indexOf('\n### Connecting your app\n');
  assert.ok(start >= 0, 'README has a "### Connecting your app" section');
  return README.slice(start, README.indexOf('\n### ', start + 1));
}

/** The fenced blocks of `lang` in the section, in order. */
function blocks(lang: string): string[] {
  return [...section().matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('README: connecting your app', function () {
  this.timeout(60_000);
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  it('registers the clients with the commands shown, as the snippets expect them', async () => {
    const cwd = dirs.make();
    const { publicKey } = await generateKeyPair('RS256');
    writeFileSync(join(cwd, 'signer.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 's1' }] }));
    const [commands] = blocks('sh');
    const lines = (commands ?? '').split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 4);
    for (const line of lines) {
      const argv = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
      assert.equal(argv[0], 'oauth-mock');
      const res = await runCli([...argv.slice(1), '--db', join(cwd, 'db.json')], { cwd });
      assert.equal(res.code, 0, `${line}\n${res.stderr}`);
    }
    const store = await openFileStore(join(cwd, 'db.json'));
    const data = store.read();
    await store.close();

    // Auth.js: the provider id names the callback path (/api/auth/callback/<id>).
    const [authjs] = blocks('ts');
    const field = (text: string, name: string) => new RegExp(`${name}: '([^']+)'`).exec(text)?.[1];
    const nextjs = findClient(data, field(authjs ?? '', 'clientId') ?? '');
    assert.ok(nextjs, 'the Auth.js clientId is registered');
    assert.equal(field(authjs ?? '', 'issuer'), DEFAULT_ISSUER);
    assert.equal(nextjs.secret, field(authjs ?? '', 'clientSecret'));
    assert.deepEqual(nextjs.redirect_uris, [`http://localhost:3000/api/auth/callback/${field(authjs ?? '', 'id') ?? ''}`]);

    // Spring Boot: {baseUrl}/login/oauth2/code/{registrationId}, client_secret_basic from the metadata.
    const [yaml] = blocks('yaml');
    const value = (name: string) => new RegExp(`${name}: (\\S+)`).exec(yaml ?? '')?.[1];
    const registrationId = /registration:\n\s+([\w-]+):/.exec(yaml ?? '')?.[1];
    const spring = findClient(data, value('client-id') ?? '');
    assert.ok(spring, 'the Spring client-id is registered');
    assert.equal(value('issuer-uri'), DEFAULT_ISSUER);
    assert.equal(spring.secret, value('client-secret'));
    assert.deepEqual(spring.redirect_uris, [`http://localhost:8080/login/oauth2/code/${registrationId ?? ''}`]);
    assert.equal(spring.token_endpoint_auth_method, 'client_secret_basic');
    for (const scope of (value('scope') ?? '').split(',')) assert.ok(spring.scopes.includes(scope), scope);

    assert.equal(findClient(data, 'signer')?.token_endpoint_auth_method, 'private_key_jwt');
    assert.deepEqual(findClient(data, 'worker')?.grant_types, ['client_credentials']);
  });

  describe('the openid-client app', () => {
    let mock: OAuthMock;
    let app: ChildProcess | undefined;
    let port: number;
    before(async () => {
      port = await freePort();
      const fixture = loadFixtures().clients.client_123;
      assert.ok(fixture);
      // The app as written, on a free port instead of 3000 (so its redirect URI is registered too).
      mock = await startOidcMock({ clients: [{ ...fixture, redirect_uris: [...fixture.redirect_uris, `http://localhost:${port}/callback`] }] });
    });
    after(async () => {
      app?.kill();
      await mock.stop();
    });

    it('signs alice in and shows her ID token claims and userinfo', async () => {
      const [source] = blocks('js');
      assert.ok(source?.includes(`new URL('${DEFAULT_ISSUER}')`));
      const runnable = (source ?? '')
        .replace(`new URL('${DEFAULT_ISSUER}')`, `new URL('${mock.issuer}')`)
        .replaceAll('localhost:3000', `localhost:${port}`)
        .replace('.listen(3000)', `.listen(${port})`)
        .replace("from 'openid-client'", `from '${pathToFileURL(require.resolve('openid-client')).href}'`);
      const file = join(dirs.make(), 'app.mjs');
      writeFileSync(file, runnable);
      app = spawn(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      app.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`http://localhost:${port}/`).then(
          (r) => r.status === 404,
          () => false,
        );
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(ready, `the app did not start: ${stderr}`);

      // startOAuthMock signs in without a page (--login auto): the redirects lead straight back.
      const res = await fetch(`http://localhost:${port}/login`);
      const body = await res.text();
      assert.equal(res.status, 200, body);
      const { claims, userinfo } = JSON.parse(body) as { claims: Record<string, unknown>; userinfo: Record<string, unknown> };
      assert.deepEqual([claims.iss, claims.sub, claims.aud, typeof claims.nonce], [mock.issuer, 'alice', 'client_123', 'string']);
      assert.deepEqual([userinfo.sub, userinfo.email, userinfo.name], ['alice', 'alice@example.com', 'Alice Liddell']);
    });
  });
});
