// The built binary with `start --profile oidc`: RS256 by default, discovery for the profile, and a
// private_key_jwt client added from the terminal authenticating at the running server.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { cliDirs, spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

describe('oauth-mock start --profile oidc (built binary)', function () {
  this.timeout(60_000);
  const dirs = cliDirs();
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  after(() => dirs.cleanup());

  it('serves the oidc profile signed with RS256, from a flag or OAUTH_MOCK_PROFILE', async () => {
    for (const [args, env] of [
      [['--profile', 'oidc'], {}],
      [[], { OAUTH_MOCK_PROFILE: 'oidc' }],
    ] as const) {
      const cwd = dirs.make();
      server = await startServerProcess(['--in-memory', '--quiet', ...args], { cwd, env });
      const doc = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.deepEqual(
        [doc.issuer, doc.id_token_signing_alg_values_supported, doc.introspection_endpoint],
        [server.url, ['RS256'], `${server.url}/oauth/introspect`],
      );
      const json = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(json.status, 400);
      assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
      await server.stop();
      server = undefined;
    }
  });

  it('authenticates a private_key_jwt client added from the terminal (client_credentials)', async () => {
    const cwd = dirs.make();
    const db = join(cwd, 'db.json');
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    writeFileSync(join(cwd, 'worker.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'w1' }] }));
    server = await startServerProcess(['--profile', 'oidc', '--db', db, '--quiet'], { cwd });
    const added = await spawnCli(
      [
        'clients',
        'add',
        'worker',
        '--auth-method',
        'private_key_jwt',
        '--jwks',
        'worker.jwks.json',
        '--grant-type',
        'client_credentials',
        '--scope',
        'api:read',
        '--db',
        db,
      ],
      { cwd },
    );
    assert.equal(added.code, 0, added.stderr);
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: 'worker', sub: 'worker', aud: server.url, jti: 'e2e-1', iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'w1' })
      .sign(privateKey);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const res = await fetch(`${server.url}/oauth/token`, { method: 'POST', body });
    const tokens = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, JSON.stringify(tokens));
    assert.deepEqual([tokens.token_type, tokens.scope, tokens.refresh_token], ['Bearer', 'api:read', undefined]);
    const replay = await fetch(`${server.url}/oauth/token`, { method: 'POST', body });
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_client');
  });
});
