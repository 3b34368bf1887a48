// Tokens outlive a restart: a file store, a real port, real HTTP. The signing key (the HS256
// secret or the RS256 key pair) and the grants are kept in the store file (contract rule 13).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findUser } from '../../src/core/lookup.js';
import { listen, type RunningServer } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { SigningAlg } from '../../src/tokens/keys.js';
import { authorizeQuery, codeExchange, SEED } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

// Fixed, so tokens minted before the restart (on another port) name the same issuer.
const ISSUER = 'http://oauth-mock.restart.test';

async function json(res: Response): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: Object.fromEntries(res.headers) };
}

async function postJson(server: RunningServer, path: string, body: Record<string, unknown>, operationId: string) {
  const res = await json(await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  assertMatchesSpec(operationId, res.status, res.body, res.headers);
  return res;
}

async function getUserinfo(server: RunningServer, accessToken: string) {
  const res = await json(await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } }));
  assertMatchesSpec('userinfo', res.status, res.body, res.headers);
  return res;
}

async function start(store: Store, alg: SigningAlg): Promise<RunningServer> {
  return listen({ store, port: 0, host: '127.0.0.1', issuer: ISSUER, alg });
}

describe('restart with a file store', () => {
  let dir: string;
  const open: { servers: RunningServer[]; stores: Store[] } = { servers: [], stores: [] };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-restart-'));
  });

  afterEach(async () => {
    for (const s of open.servers.splice(0)) await s.close();
    for (const s of open.stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot(path: string, alg: SigningAlg): Promise<{ store: Store; server: RunningServer }> {
    const store = await createStore({ path, seed: () => loadFixtures() });
    open.stores.push(store);
    const server = await start(store, alg);
    open.servers.push(server);
    return { store, server };
  }

  async function shutdown(it: { store: Store; server: RunningServer }): Promise<void> {
    await it.server.close();
    await it.store.close();
    open.servers.splice(open.servers.indexOf(it.server), 1);
    open.stores.splice(open.stores.indexOf(it.store), 1);
  }

  for (const alg of ['HS256', 'RS256'] as const) {
    it(`${alg}: a refresh token and an access token issued before the restart work after it`, async () => {
      const path = join(dir, 'db.json');
      const first = await boot(path, alg);
      assert.equal(first.server.issuer, ISSUER);

      const data = first.store.read();
      const alice = findUser(data, 'alice');
      assert.ok(alice);
      const userToken = first.server.app.appContext.tokens.mintUser(data, alice, { ttl: 600 }).token;
      const auth = await fetch(`${first.server.url}/oauth/authorize?${authorizeQuery()}`, {
        headers: { authorization: `Bearer ${userToken}` },
        redirect: 'manual',
      });
      await auth.body?.cancel();
      assert.equal(auth.status, 302);
      assertMatchesSpec('authorize', auth.status, undefined, Object.fromEntries(auth.headers));
      const location = new URL(auth.headers.get('location') as string);
      assert.equal(location.searchParams.get('iss'), ISSUER);
      const code = location.searchParams.get('code') as string;

      const issued = await postJson(first.server, '/oauth/token', codeExchange(code), 'token');
      assert.equal(issued.status, 200);
      const tokens = issued.body.data as Record<string, string>;
      assert.equal((await getUserinfo(first.server, tokens.access_token as string)).status, 200);

      await shutdown(first);

      const second = await boot(path, alg);
      assert.equal(second.server.issuer, ISSUER);

      // The access token from before the restart still verifies (same key, same issuer).
      const info = await getUserinfo(second.server, tokens.access_token as string);
      assert.equal(info.status, 200);
      assert.equal((info.body.data as Record<string, unknown>).sub, 'alice');

      const refreshed = await postJson(
        second.server,
        '/oauth/token',
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: SEED.clientId,
          client_secret: SEED.secret,
        },
        'token',
      );
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      const next = refreshed.body.data as Record<string, string>;
      assert.notEqual(next.refresh_token, tokens.refresh_token);
      assert.equal((await getUserinfo(second.server, next.access_token as string)).status, 200);

      // Rotation state survived too: the pre-restart refresh token is now spent.
      const reused = await postJson(
        second.server,
        '/oauth/token',
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: SEED.clientId,
          client_secret: SEED.secret,
        },
        'token',
      );
      assert.equal(reused.status, 400);
      assert.equal((reused.body.error as Record<string, unknown>).code, 'invalid_grant');
    });
  }
});
