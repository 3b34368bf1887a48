// The end-user step at authorize is pluggable: spec's bearer authenticator runs first (CONTRACT
// rule 1, covered in authorize.test.ts); one that runs after validation (as OIDC orders it) sees
// only requests whose client, redirect_uri and parameters were already checked.
import assert from 'node:assert/strict';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { appConfig } from '../../src/api/app-config.js';
import type { AuthorizeRequest } from '../../src/core/authorize.js';
import { findUser } from '../../src/core/lookup.js';
import { digestKey } from '../../src/core/random.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { ensureKeys } from '../../src/tokens/keys.js';
import { authorizeQuery, ISSUER, SEED } from '../helpers/bootstrap.js';

describe('authorize with an authenticator that runs after validation', () => {
  async function harness(answer: 'alice' | 'page') {
    const store = createMemoryStore(loadFixtures());
    await ensureKeys(store, { alg: 'HS256' }, Math.floor(Date.now() / 1000));
    const seen: AuthorizeRequest[] = [];
    const app = createApp({
      store,
      config: appConfig({ issuer: ISSUER }),
      authenticator: {
        when: 'after-validation',
        async authenticate(ctx, request) {
          seen.push(request);
          if (answer === 'page') {
            ctx.status = 200;
            ctx.type = 'text/html';
            ctx.body = '<form>login</form>';
            return undefined;
          }
          const user = findUser(store.read(), 'alice');
          assert.ok(user);
          return { user, authTime: 1_700_000_000 };
        },
      },
    });
    return { store, seen, agent: supertest(app.callback()), path: app.appContext.paths.authorize };
  }

  it('needs no bearer token, and binds the code to the user it returns', async () => {
    const h = await harness('alice');
    const res = await h.agent.get(`${h.path}?${authorizeQuery({ nonce: 'n-1' })}`);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location as string);
    assert.equal(`${location.origin}${location.pathname}`, SEED.redirectUri);
    assert.equal(location.searchParams.get('state'), 'xyz123');
    const code = location.searchParams.get('code') ?? '';
    const record = h.store.read().codes[digestKey(code)];
    assert.equal(record?.user_id, 'alice');
    assert.equal(record?.auth_time, 1_700_000_000);
    assert.equal(record?.nonce, 'n-1');
    assert.deepEqual(
      h.seen.map((r) => [r.client.id, r.redirectUri, r.scope, r.pkce?.method]),
      [[SEED.clientId, SEED.redirectUri, ['openid', 'profile', 'email'], 'S256']],
    );
  });

  it('is not reached when the client, redirect_uri or request is wrong', async () => {
    const h = await harness('alice');
    const unknown = await h.agent.get(`${h.path}?${authorizeQuery({ client_id: 'nope' })}`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'invalid_client');
    const badScope = await h.agent.get(`${h.path}?${authorizeQuery({ scope: 'openid admin' })}`);
    assert.equal(badScope.status, 302);
    assert.equal(new URL(badScope.headers.location as string).searchParams.get('error'), 'invalid_scope');
    assert.deepEqual(h.seen, []);
  });

  it('may answer the request itself (a login page): no code is issued', async () => {
    const h = await harness('page');
    const res = await h.agent.get(`${h.path}?${authorizeQuery()}`);
    assert.equal(res.status, 200);
    assert.equal(res.text, '<form>login</form>');
    assert.deepEqual(Object.keys(h.store.read().codes), []);
    assert.equal(h.seen.length, 1);
  });
});
