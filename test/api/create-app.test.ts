import assert from 'node:assert/strict';
import supertest from 'supertest';
import { appConfig, createApp, createRequestJournal, createSeededStore, MintError, mintFromOptions } from '../../src/index.js';
import { assertMatchesSpec } from '../helpers/openapi.js';
import { codeExchange, decodeJwt, SEED } from '../helpers/bootstrap.js';

describe('createApp with supertest (no port)', () => {
  it('serves the flow from an app built with the public helpers, with a journal and a signing hook', async () => {
    const store = await createSeededStore();
    const journal = createRequestJournal();
    const config = appConfig({ issuer: 'https://auth.test/' });
    const app = createApp({ store, config, journal, beforeSign: (kind, claims) => (kind === 'access' ? { ...claims, tenant: 'acme' } : claims) });
    const agent = supertest(app.callback());
    try {
      const discovery = await agent.get('/.well-known/openid-configuration');
      assertMatchesSpec('openidConfiguration', discovery.status, discovery.body, discovery.headers);
      assert.equal(discovery.status, 200);
      assert.equal(discovery.body.issuer, 'https://auth.test/', 'the issuer exactly as given');

      const core = app.appContext;
      const userToken = mintFromOptions({ store, tokens: core.tokens, ttl: config.ttl, clock: core.clock }, { user: 'alice' }).token;
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: SEED.clientId,
        redirect_uri: SEED.redirectUri,
        scope: 'openid',
        code_challenge: SEED.challenge,
        code_challenge_method: 'S256',
      });
      const redirect = await agent.get(`/oauth/authorize?${query.toString()}`).set('Authorization', `Bearer ${userToken}`);
      assert.equal(redirect.status, 302);
      const code = new URL(redirect.headers.location as string).searchParams.get('code');
      const token = await agent.post('/oauth/token').send(codeExchange(code));
      assertMatchesSpec('token', token.status, token.body, token.headers);
      assert.equal(token.status, 200);
      assert.equal(decodeJwt(token.body.data.access_token as string).payload.tenant, 'acme');
      assert.deepEqual(
        journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`),
        ['GET /.well-known/openid-configuration 200', 'GET /oauth/authorize 302', 'POST /oauth/token 200'],
      );
    } finally {
      await store.close();
    }
  });

  it('mintFromOptions throws MintError synchronously for bad options', async () => {
    const store = await createSeededStore({ fixtures: false });
    const app = createApp({ store, config: appConfig({ issuer: 'http://x' }) });
    try {
      assert.throws(
        () => mintFromOptions({ store, tokens: app.appContext.tokens, ttl: app.appContext.config.ttl, clock: app.appContext.clock }, { user: 'alice' }),
        MintError,
      );
    } finally {
      await store.close();
    }
  });
});
