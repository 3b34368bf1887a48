// Property-based fuzzing (fast-check) of the oidc profile's browser side: authorize (GET and POST),
// the login form and end_session. Whatever arrives: never a 5xx, a redirect only ever goes to a
// registered redirect or post-logout URI, every page carries the strict headers, and the app
// reports no unexpected error.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import supertest, { type Response } from 'supertest';
import { appConfig, createApp, createSeededStore } from '../../src/index.js';
import type { Store } from '../../src/store/types.js';

const RUNS = 80;
const REDIRECT = 'http://localhost:3000/callback';
const POST_LOGOUT = 'http://localhost:3000/bye';

describe('security: fuzz of the oidc login page, login form and logout', function () {
  this.timeout(120_000);
  let store: Store;
  let agent: ReturnType<typeof supertest>;
  const errors: unknown[] = [];

  before(async () => {
    store = await createSeededStore({ alg: 'RS256' });
    await store.update((tx) => {
      const client = tx.data.clients.client_123;
      if (client) tx.put('clients', 'client_123', { ...client, post_logout_redirect_uris: [POST_LOGOUT] });
    });
    const app = createApp({ store, config: { ...appConfig({ issuer: 'http://oauth.test', profile: 'oidc', alg: 'RS256' }), login: 'page' } });
    app.on('error', (error: unknown) => errors.push(error));
    agent = supertest(app.callback());
  });
  afterEach(() => assert.deepEqual(errors, [], 'the app reported unexpected errors'));

  function check(res: Response): void {
    assert.ok(res.status < 500, `${res.status} ${res.text.slice(0, 300)}`);
    const location = res.headers.location;
    if (location !== undefined) {
      assert.ok(
        [REDIRECT, POST_LOGOUT].some((uri) => location === uri || location.startsWith(`${uri}?`) || location.startsWith(`${uri}#`)),
        location,
      );
    }
    // Pages (not Koa's one-line redirect bodies) carry the strict headers.
    if (location === undefined && String(res.headers['content-type']).startsWith('text/html')) {
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.match(String(res.headers['content-security-policy']), /^default-src 'none'; /);
      assert.doesNotMatch(res.text, /<script(?! nonce=)/);
    }
  }

  const value = fc.oneof(
    fc.string(),
    fc.constantFrom('', 'none', 'login', 'form_post', 'fragment', 'alice', REDIRECT, POST_LOGOUT, 'client_123', '{"acr":1}', '<script>', '%E0%A4%A'),
  );
  const NAMES = [
    'response_type',
    'client_id',
    'redirect_uri',
    'scope',
    'state',
    'nonce',
    'prompt',
    'max_age',
    'response_mode',
    'login_hint',
    'id_token_hint',
    'request',
    'request_uri',
    'code_challenge',
    'csrf',
    'authorization_request',
    'user',
    'username',
    'claims',
    'deny',
    'post_logout_redirect_uri',
    'confirm',
  ];
  const params = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 8 });
  const base = { response_type: 'code', client_id: 'client_123', redirect_uri: REDIRECT, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };
  const encode = (pairs: Array<[string, string]>, withBase: boolean) => {
    const out = new URLSearchParams(withBase ? base : {});
    for (const [k, v] of pairs) out.append(k, v);
    return out.toString();
  };

  it('authorize GET and POST', async () => {
    await fc.assert(
      fc.asyncProperty(params, fc.boolean(), fc.boolean(), async (pairs, withBase, post) => {
        const query = encode(pairs, withBase);
        check(post ? await agent.post('/oauth/authorize').type('form').send(query) : await agent.get(`/oauth/authorize?${query}`));
      }),
      { numRuns: RUNS },
    );
  });

  it('the login form, with a carried request that may be anything', async () => {
    await fc.assert(
      fc.asyncProperty(params, fc.boolean(), fc.string(), async (pairs, withBase, csrf) => {
        const form = new URLSearchParams(pairs);
        form.set('authorization_request', encode(pairs, withBase));
        form.set('csrf', csrf);
        check(
          await agent
            .post('/oauth/login')
            .type('form')
            .set('Cookie', `oauth_mock_csrf=${csrf.replace(/[^\w-]/g, '')}`)
            .send(form.toString()),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('end_session GET and POST', async () => {
    await fc.assert(
      fc.asyncProperty(params, fc.boolean(), async (pairs, post) => {
        const query = encode(pairs, false);
        check(post ? await agent.post('/oauth/logout').type('form').send(query) : await agent.get(`/oauth/logout?${query}`));
      }),
      { numRuns: RUNS },
    );
  });
});
