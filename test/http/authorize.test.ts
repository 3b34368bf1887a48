// GET /oauth/authorize: contract rules 1–7 (RFC 6749 §4.1, RFC 7636, RFC 8707, RFC 9700).
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { digestKey } from '../../src/core/random.js';
import type { Client, CodeRecord, Data } from '../../src/core/types.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { authorizeQuery, bootstrap, decodeJwt, ISSUER, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import {
  assertBearerChallenge,
  assertError,
  assertRedirectError,
  authorize,
  authorizeRaw,
  redeem,
  redirectParams,
  signHs,
  spec,
  unsignedJwt,
} from './helpers.js';

const QUERY_CLIENT: Client = {
  id: 'query_client',
  secret: 'query-client-secret',
  public: false,
  redirect_uris: ['https://app.example.com/cb?tenant=acme&x=1'],
  scopes: ['openid', 'profile'],
  default_scopes: ['openid'],
};

function fixturesWith(...clients: Client[]): Data {
  const data = loadFixtures();
  for (const c of clients) data.clients[c.id] = c;
  return data;
}

function codeKeys(h: Harness): string[] {
  return Object.keys(h.store.read().codes).sort();
}

/** The stored record of the code in a success redirect. */
function storedCode(h: Harness, res: Response, base?: string): CodeRecord {
  const code = redirectParams(res, base).get('code');
  assert.ok(code);
  const record = h.store.read().codes[digestKey(code)];
  assert.ok(record, 'the code is stored under its digest');
  return record;
}

function assertNoRedirect(res: Response): void {
  assert.equal(res.headers.location, undefined);
}

describe('GET /oauth/authorize', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap({ data: fixturesWith(QUERY_CLIENT) });
  });

  describe('rule 1: order of checks', () => {
    it('checks the bearer first: none → 401 with a bare challenge, even when client_id is unknown', async () => {
      const before = codeKeys(h);
      const res = await authorize(h, { client_id: 'nope', redirect_uri: 'https://evil.example/cb' }, null);
      assertError(res, 401, 'invalid_request');
      assertBearerChallenge(res, false);
      assertNoRedirect(res);
      assert.deepEqual(codeKeys(h), before);
    });

    it('a non-Bearer Authorization header counts as no bearer (401 without error=)', async () => {
      const res = spec('authorize', await h.agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', 'Basic Y2xpZW50OnNlY3JldA=='));
      assertError(res, 401, 'invalid_request');
      assertBearerChallenge(res, false);
    });

    const badUserTokens: [string, (h: Harness) => Promise<string> | string][] = [
      ['garbage', () => 'not-a-jwt'],
      ['malformed header value', () => 'a b c'],
      ['alg none', (t) => unsignedJwt({ typ: 'user+jwt' }, { ...decodeJwt(t.userToken()).payload })],
      [
        'tampered signature',
        (t) => {
          const tok = t.userToken();
          return `${tok.slice(0, -4)}${tok.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        },
      ],
      ['signed with another secret', (t) => signHs(t, { ...decodeJwt(t.userToken()).payload }, { typ: 'user+jwt' }, 'x'.repeat(40))],
      ['wrong iss', (t) => signHs(t, { ...decodeJwt(t.userToken()).payload, iss: `${ISSUER}/` }, { typ: 'user+jwt' })],
      [
        'no exp',
        (t) => {
          const { exp: _exp, ...p } = decodeJwt(t.userToken()).payload;
          return signHs(t, p, { typ: 'user+jwt' });
        },
      ],
      ['future nbf', (t) => signHs(t, { ...decodeJwt(t.userToken()).payload, nbf: Math.floor(t.clock.now() / 1000) + 600 }, { typ: 'user+jwt' })],
      [
        'expired',
        (t) => {
          const tok = t.userToken('alice', { ttl: 60 });
          t.clock.advance(61);
          return tok;
        },
      ],
      ['an access token', async (t) => (await t.tokens()).access_token as string],
      ['an id_token', async (t) => (await t.tokens()).id_token as string],
      ['a refresh token', async (t) => (await t.tokens()).refresh_token as string],
      ['a user token for a deleted user', (t) => t.userToken('ghost')],
      [
        'a revoked user token (jti denylisted)',
        async (t) => {
          const tok = t.userToken();
          const { jti, exp } = decodeJwt(tok).payload as { jti: string; exp: number };
          await t.store.update((tx) => tx.put('denylist', jti, exp));
          return tok;
        },
      ],
    ];
    for (const [name, make] of badUserTokens) {
      it(`bad bearer (${name}) → 401 invalid_token, before client_id is looked at`, async () => {
        const bearer = await make(h);
        const before = codeKeys(h);
        const res = await authorize(h, { client_id: 'unknown_client' }, bearer);
        assertError(res, 401, 'invalid_token');
        assertBearerChallenge(res, true);
        assertNoRedirect(res);
        assert.deepEqual(codeKeys(h), before);
      });
    }

    const badClients: [string, string | undefined][] = [
      ['unknown', 'unknown_client'],
      ['missing', undefined],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
    ];
    for (const [name, clientId] of badClients) {
      it(`client_id ${name} → 400 invalid_client, no redirect`, async () => {
        const before = codeKeys(h);
        const res = await authorize(h, { client_id: clientId });
        assertError(res, 400, 'invalid_client');
        assertNoRedirect(res);
        assert.deepEqual(codeKeys(h), before);
      });
    }

    it('client_id given twice → 400 invalid_request, no redirect', async () => {
      const res = await authorize(h, { client_id: [SEED.clientId, SEED.clientId] });
      assertError(res, 400, 'invalid_request');
      assertNoRedirect(res);
    });

    const badRedirects: [string, string | string[] | undefined][] = [
      ['missing', undefined],
      ['trailing slash', 'https://client.example.com/callback/'],
      ['host case', 'https://Client.example.com/callback'],
      ['path case', 'https://client.example.com/Callback'],
      ['explicit default port', 'https://client.example.com:443/callback'],
      ['other port', 'https://client.example.com:8443/callback'],
      ['extra query', 'https://client.example.com/callback?x=1'],
      ['scheme', 'http://client.example.com/callback'],
      ['fragment', 'https://client.example.com/callback#f'],
      ['dot segments', 'https://client.example.com/x/../callback'],
      ['userinfo', 'https://evil@client.example.com/callback'],
      ["another client's", 'http://127.0.0.1:5173/callback'],
      ['given twice', [SEED.redirectUri, SEED.redirectUri]],
      ['registered query dropped', 'https://app.example.com/cb'],
    ];
    for (const [name, redirectUri] of badRedirects) {
      it(`redirect_uri ${name} → 400 invalid_request, no Location, no code stored`, async () => {
        const before = codeKeys(h);
        const res = await authorize(h, { redirect_uri: redirectUri });
        assertError(res, 400, 'invalid_request');
        assertNoRedirect(res);
        assert.deepEqual(codeKeys(h), before);
      });
    }

    it('a redirect_uri registered with a query must match with that query, exactly', async () => {
      const res = await authorize(h, { client_id: QUERY_CLIENT.id, redirect_uri: 'https://app.example.com/cb?x=1&tenant=acme' });
      assertError(res, 400, 'invalid_request');
      assertNoRedirect(res);
    });

    it('errors after client and redirect_uri redirect with error, error_description, state and iss', async () => {
      const before = codeKeys(h);
      const res = await authorize(h, { scope: 'openid admin' });
      const params = assertRedirectError(res, 'invalid_scope', { state: 'xyz123', iss: ISSUER });
      assert.deepEqual([...params.keys()], ['error', 'error_description', 'state', 'iss']);
      // RFC 6749 §4.1.2.1: error_description uses a restricted character set.
      assert.match(params.get('error_description') as string, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
      assert.deepEqual(codeKeys(h), before);
    });

    it('an access_token in the query is refused (header bearer only)', async () => {
      const res = await authorize(h, { access_token: h.userToken() }, null);
      assertError(res, 400, 'invalid_request');
      assertNoRedirect(res);
    });
  });

  describe('rule 2: response_type', () => {
    const cases: [string, string | undefined, string][] = [
      ['missing', undefined, 'invalid_request'],
      ['empty', '', 'invalid_request'],
      ['token', 'token', 'unsupported_response_type'],
      ['id_token', 'id_token', 'unsupported_response_type'],
      ['code id_token', 'code id_token', 'unsupported_response_type'],
      ['CODE', 'CODE', 'unsupported_response_type'],
    ];
    for (const [name, value, error] of cases) {
      it(`${name} → redirect with ${error}`, async () => {
        const before = codeKeys(h);
        assertRedirectError(await authorize(h, { response_type: value }), error, { state: 'xyz123', iss: ISSUER });
        assert.deepEqual(codeKeys(h), before);
      });
    }
  });

  describe('rule 3: scope', () => {
    for (const scope of ['openid admin', 'write', 'openid profile email offline_access']) {
      it(`"${scope}" (outside the client's scopes) → invalid_scope redirect`, async () => {
        assertRedirectError(await authorize(h, { scope }), 'invalid_scope', { state: 'xyz123', iss: ISSUER });
      });
    }

    it('a subset in any order is granted as asked', async () => {
      assert.deepEqual(storedCode(h, await authorize(h, { scope: 'email openid' })).scope, ['email', 'openid']);
    });

    it("absent → the client's scopes when it has no default_scopes", async () => {
      assert.deepEqual(storedCode(h, await authorize(h, { scope: undefined })).scope, ['openid', 'profile', 'email']);
    });

    it("absent → the client's default_scopes when it has them", async () => {
      const res = await authorize(h, { client_id: QUERY_CLIENT.id, redirect_uri: QUERY_CLIENT.redirect_uris[0], scope: undefined });
      assert.deepEqual(storedCode(h, res, 'https://app.example.com/cb').scope, ['openid']);
    });

    it('a scope of only spaces names no scope → invalid_scope redirect (empty means absent)', async () => {
      const before = codeKeys(h);
      assertRedirectError(await authorize(h, { scope: '   ' }), 'invalid_scope', { state: 'xyz123', iss: ISSUER });
      assert.deepEqual(codeKeys(h), before);
      assert.deepEqual(storedCode(h, await authorize(h, { scope: '' })).scope, ['openid', 'profile', 'email']);
    });

    it('a character RFC 6749 §3.3 forbids → invalid_request redirect', async () => {
      assertRedirectError(await authorize(h, { scope: 'openid "profile"' }), 'invalid_request', { state: 'xyz123' });
    });
  });

  describe('rule 4: PKCE', () => {
    const ok43 = 'a'.repeat(43);
    const ok128 = `${'A'.repeat(60)}-._~${'9'.repeat(64)}`;
    const rejected: [string, Record<string, string | undefined>][] = [
      ['challenge of 42 characters', { code_challenge: 'a'.repeat(42) }],
      ['challenge of 129 characters', { code_challenge: 'a'.repeat(129) }],
      ['challenge with "+"', { code_challenge: `${'a'.repeat(42)}+` }],
      ['challenge with "="', { code_challenge: `${'a'.repeat(42)}=` }],
      ['challenge with "/"', { code_challenge: `${'a'.repeat(42)}/` }],
      ['challenge with a non-ASCII letter', { code_challenge: `${'a'.repeat(42)}é` }],
      ['method S512', { code_challenge_method: 'S512' }],
      ['method s256 (case)', { code_challenge_method: 's256' }],
      ['method without challenge', { code_challenge: undefined, code_challenge_method: 'S256' }],
    ];
    for (const [name, query] of rejected) {
      it(`${name} → invalid_request redirect`, async () => {
        const before = codeKeys(h);
        assertRedirectError(await authorize(h, query), 'invalid_request', { state: 'xyz123', iss: ISSUER });
        assert.deepEqual(codeKeys(h), before);
      });
    }

    it('a public client without a challenge → invalid_request redirect', async () => {
      const res = await authorize(h, {
        client_id: PUBLIC_CLIENT.clientId,
        redirect_uri: PUBLIC_CLIENT.redirectUri,
        code_challenge: undefined,
        code_challenge_method: undefined,
      });
      const params = redirectParams(res, PUBLIC_CLIENT.redirectUri);
      assert.equal(params.get('error'), 'invalid_request');
      assert.equal(params.get('state'), 'xyz123');
    });

    const accepted: [string, Record<string, string | undefined>, CodeRecord['code_challenge_method']][] = [
      ['43 characters, S256', { code_challenge: ok43 }, 'S256'],
      ['128 characters with - . _ ~, plain', { code_challenge: ok128, code_challenge_method: 'plain' }, 'plain'],
      ['method absent → plain', { code_challenge: ok43, code_challenge_method: undefined }, 'plain'],
    ];
    for (const [name, query, method] of accepted) {
      it(`${name} is accepted and bound to the code`, async () => {
        const record = storedCode(h, await authorize(h, query));
        assert.equal(record.code_challenge, query.code_challenge);
        assert.equal(record.code_challenge_method, method);
      });
    }

    it('a confidential client may omit PKCE', async () => {
      const record = storedCode(h, await authorize(h, { code_challenge: undefined, code_challenge_method: undefined }));
      assert.equal(record.code_challenge, undefined);
    });
  });

  describe('rule 5: resource (RFC 8707)', () => {
    const rejected: [string, string][] = [
      ['relative', '/orders'],
      ['no scheme', 'api.example.com'],
      ['with a fragment', 'https://api.example.com#frag'],
      ['not allowed for the client', 'https://evil.example.com'],
      ['allowed one plus a path', 'https://api.example.com/other'],
    ];
    for (const [name, resource] of rejected) {
      it(`${name} → invalid_target redirect`, async () => {
        assertRedirectError(await authorize(h, { resource }), 'invalid_target', { state: 'xyz123', iss: ISSUER });
      });
    }

    it('one bad resource among good ones → invalid_target', async () => {
      assertRedirectError(await authorize(h, { resource: ['https://api.example.com', 'https://evil.example.com'] }), 'invalid_target', { state: 'xyz123' });
    });

    it('repeating resource is allowed; the code is bound to the distinct values', async () => {
      const res = await authorize(h, { resource: ['https://api.example.com', 'https://api.example.com/orders', 'https://api.example.com'] });
      assert.deepEqual(storedCode(h, res).resource, ['https://api.example.com', 'https://api.example.com/orders']);
    });
  });

  describe('rule 6: repeated and unknown parameters', () => {
    for (const name of ['response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce']) {
      it(`${name} given twice → invalid_request redirect`, async () => {
        const before = codeKeys(h);
        const base: Record<string, string> = {
          response_type: 'code',
          scope: 'openid',
          state: 'xyz123',
          code_challenge: SEED.challenge,
          code_challenge_method: 'S256',
          nonce: 'n-1',
        };
        const res = await authorize(h, { [name]: [base[name] as string, base[name] as string] });
        // A repeated state cannot be echoed: it is ambiguous.
        assertRedirectError(res, 'invalid_request', { state: name === 'state' ? null : 'xyz123', iss: ISSUER });
        assert.deepEqual(codeKeys(h), before);
      });
    }

    it('unknown parameters are ignored', async () => {
      const res = await authorize(h, { foo: 'bar', prompt: 'login', ui_locales: 'fr' });
      assert.ok(redirectParams(res).get('code'));
    });

    it('nonce is bound to the code and lands in the id_token', async () => {
      const nonce = 'n-0S6_WzA2Mj';
      const code = redirectParams(await authorize(h, { nonce })).get('code') as string;
      assert.equal(h.store.read().codes[digestKey(code)]?.nonce, nonce);
      const res = await redeem(h, code);
      assert.equal(res.status, 200);
      assert.equal(decodeJwt(res.body.data.id_token).payload.nonce, nonce);
    });

    it('no nonce → no nonce claim in the id_token', async () => {
      const res = await redeem(h, await h.code());
      assert.equal(Object.hasOwn(decodeJwt(res.body.data.id_token).payload, 'nonce'), false);
    });
  });

  describe('rule 7: the code and state', () => {
    it('is at least 128 bits, base64url, fresh each time, stored only as a digest', async () => {
      const codes = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const code = redirectParams(await authorize(h)).get('code') as string;
        assert.match(code, /^[A-Za-z0-9_-]+$/);
        assert.ok(Buffer.from(code, 'base64url').length >= 16, `code ${code} has fewer than 128 bits`);
        assert.equal(Object.hasOwn(h.store.read().codes, code), false, 'the raw code is not a store key');
        codes.add(code);
      }
      assert.equal(codes.size, 5);
    });

    it('is bound to client, redirect_uri, user, scope, challenge, resource, nonce, auth_time, 60 s', async () => {
      const authTime = Math.floor(h.clock.now() / 1000) - 300;
      const res = await authorize(h, { scope: 'openid email', nonce: 'abc', resource: 'https://api.example.com' }, h.userToken('bob', { authTime }));
      const record = storedCode(h, res);
      assert.deepEqual(record, {
        client_id: SEED.clientId,
        redirect_uri: SEED.redirectUri,
        user_id: 'bob',
        scope: ['openid', 'email'],
        resource: ['https://api.example.com'],
        auth_time: authTime,
        expires_at: Math.floor(h.clock.now() / 1000) + 60,
        code_challenge: SEED.challenge,
        code_challenge_method: 'S256',
        nonce: 'abc',
      });
    });

    const states = ['xyz123', 'ünïcødé ✓ 🦊 日本', 'a&b=c#d+e%20f', '&#+', ' leading and trailing ', `${'s'.repeat(2000)}&#+`];
    for (const state of states) {
      it(`echoes state ${JSON.stringify(state.slice(0, 24))} byte-exact on success and on error`, async () => {
        const ok = redirectParams(await authorize(h, { state }));
        assert.equal(ok.get('state'), state);
        assert.ok(ok.get('code'));
        const failed = await authorize(h, { state, scope: 'admin' });
        assertRedirectError(failed, 'invalid_scope', { state, iss: ISSUER });
      });
    }

    it('no state (absent or empty) → no state in the redirect', async () => {
      for (const state of [undefined, '']) {
        const params = redirectParams(await authorize(h, { state }));
        assert.equal(params.has('state'), false);
        assert.ok(params.get('code'));
        assert.equal(params.get('iss'), ISSUER);
      }
    });

    it('a state with CR/LF and quotes cannot split headers', async () => {
      const state = 'a\r\nSet-Cookie: x=1"<>';
      const res = await authorize(h, { state });
      assert.equal(res.headers['set-cookie'], undefined);
      assert.equal(redirectParams(res).get('state'), state);
    });

    it('malformed percent-encoding → 400, not 500', async () => {
      const res = await authorizeRaw(h, `${authorizeQuery({ state: undefined })}&state=%E0%A4%A`);
      assertError(res, 400, 'invalid_request');
    });

    it("keeps the registered redirect_uri's own query and appends code, state, iss", async () => {
      const res = await authorize(h, { client_id: QUERY_CLIENT.id, redirect_uri: QUERY_CLIENT.redirect_uris[0], scope: 'openid' });
      const location = res.headers.location as string;
      assert.ok(location.startsWith('https://app.example.com/cb?tenant=acme&x=1&code='), location);
      const params = redirectParams(res, 'https://app.example.com/cb');
      assert.deepEqual([...params.keys()], ['tenant', 'x', 'code', 'state', 'iss']);
      assert.equal(params.get('tenant'), 'acme');
      assert.equal(params.get('state'), 'xyz123');
    });

    it('keeps the registered query on error redirects too', async () => {
      const res = await authorize(h, { client_id: QUERY_CLIENT.id, redirect_uri: QUERY_CLIENT.redirect_uris[0], scope: 'email' });
      const location = res.headers.location as string;
      assert.ok(location.startsWith('https://app.example.com/cb?tenant=acme&x=1&error=invalid_scope&'), location);
    });

    it('answers with Cache-Control: no-store', async () => {
      assert.equal((await authorize(h)).headers['cache-control'], 'no-store');
    });
  });
});
